using System.Security.Cryptography;
using System.Text;
using HikiConsult.Grains.Protection;
using HikiConsult.Server.Protection;
using HikiConsult.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HikiConsult.Server.Auth;

/// <summary>
/// The token signing key: from configuration, or generated once and kept in the key directory (apart from the
/// database, shared by a cluster's nodes). An install from before keeps it in the data directory: it is moved on start.
/// </summary>
public sealed partial class SigningKeyProvider
{
    private const string KeyFileName = "signing-key";
    private readonly Lazy<SymmetricSecurityKey> _key;

    public SigningKeyProvider(IOptions<AuthOptions> options, StorageSettings storage, KeysSettings keys, ILogger<SigningKeyProvider> logger)
    {
        _key = new Lazy<SymmetricSecurityKey>(() => Load(options.Value, storage, keys, logger));
    }

    public SymmetricSecurityKey Key => _key.Value;

    private static SymmetricSecurityKey Load(AuthOptions options, StorageSettings storage, KeysSettings keys, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return new SymmetricSecurityKey(Decode(options.SigningKey, "Auth:SigningKey"));
        }

        PrivateFiles.EnsureDirectory(keys.Directory);
        var path = Path.Combine(keys.Directory, KeyFileName);
        var oldPath = Path.Combine(storage.DataDirectory, KeyFileName);
        if (File.Exists(oldPath))
        {
            MoveFromDataDirectory(oldPath, path, logger);
        }

        if (!File.Exists(path))
        {
            // Several nodes may start at once: the first rename wins and every node reads the winner's key.
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            if (PrivateFiles.TryCreate(path, Encoding.ASCII.GetBytes(fresh)))
            {
                KeyGenerated(logger, path);
            }
        }

        PrivateFiles.Restrict(path);
        return new SymmetricSecurityKey(Decode(File.ReadAllText(path).Trim(), path));
    }

    private static void MoveFromDataDirectory(string oldPath, string path, ILogger logger)
    {
        try
        {
            File.Move(oldPath, path, overwrite: false);
            KeyMoved(logger, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Moved by another node, or a key exists there already: the key directory's key is the one in force.
            File.Delete(oldPath);
        }
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

    [LoggerMessage(2, LogLevel.Information, "Moved the token signing key out of the data directory to {Path}")]
    private static partial void KeyMoved(ILogger logger, string path);
}
