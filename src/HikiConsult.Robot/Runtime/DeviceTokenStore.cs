using System.Text.Json;
using HikiConsult.Client.Api;

namespace HikiConsult.Robot.Runtime;

/// <summary>The paired device's identity and token, kept in a file only its owner can read.</summary>
public sealed record StoredDevice(Uri Server, string DeviceId, string AccessToken, string ClientId, string Kind);

public sealed class DeviceTokenStore(string path)
{
    public string Path { get; } = path;

    public StoredDevice? Load(Uri server)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<StoredDevice>(File.ReadAllText(Path), HikiConsultApi.JsonOptions);

            // A token belongs to one server; a different server needs a new pairing.
            return stored is not null && stored.Server == server && !string.IsNullOrEmpty(stored.AccessToken) ? stored : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(StoredDevice device)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temp = Path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(stream, device, HikiConsultApi.JsonOptions);
        }

        File.Move(temp, Path, overwrite: true);
    }

    public void Forget()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}
