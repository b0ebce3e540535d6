using HikiConsult.ServerLauncher;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>The real server as a child process (Development, demo seed) on a fresh temporary data directory.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> TestSettings = new Dictionary<string, string>
    {
        // Several tests pair devices from one address within a minute.
        ["Auth:PairingPermitLimit"] = "1000",
    };

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("hikiconsult-client-tests-").FullName;

    public ServerProcess Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(DataDirectory, settings: TestSettings);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
