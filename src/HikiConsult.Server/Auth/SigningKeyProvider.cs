using System.Security.Cryptography;
using HikiConsult.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HikiConsult.Server.Auth;

/// <summary>The token signing key: from configuration, or generated once and kept in the data directory.</summary>
public sealed partial class SigningKeyProvider
{
    private const string KeyFileName = "signing-key";
    private readonly Lazy<SymmetricSecurityKey> _key;

    public SigningKeyProvider(IOptions<AuthOptions> options, StorageSettings storage, ILogger<SigningKeyProvider> logger)
    {
        _key = new Lazy<SymmetricSecurityKey>(() => Load(options.Value, storage, logger));
    }

    public SymmetricSecurityKey Key => _key.Value;

    private static SymmetricSecurityKey Load(AuthOptions options, StorageSettings storage, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return new SymmetricSecurityKey(Decode(options.SigningKey, "Auth:SigningKey"));
        }

        var path = Path.Combine(storage.DataDirectory, KeyFileName);
        if (File.Exists(path))
        {
            return new SymmetricSecurityKey(Decode(File.ReadAllText(path).Trim(), path));
        }

        Directory.CreateDirectory(storage.DataDirectory);
        var bytes = RandomNumberGenerator.GetBytes(64);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(bytes));
        }

        KeyGenerated(logger, path);
        return new SymmetricSecurityKey(bytes);
    }

    private static byte[] Decode(string base64, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The signing key in {source} is not base64.");
        }

        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"The signing key in {source} is shorter than 32 bytes.");
    }

    [LoggerMessage(1, LogLevel.Information, "Generated a token signing key in {Path}")]
    private static partial void KeyGenerated(ILogger logger, string path);
}
