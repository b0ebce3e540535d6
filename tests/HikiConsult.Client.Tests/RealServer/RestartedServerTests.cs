using HikiConsult.ServerLauncher;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>
/// What tests that kill the real server process (SIGKILL) and start it again share: one data directory and one port
/// for the life of the test, the process started before it, everything removed after it.
/// </summary>
public abstract class RestartedServerTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hikiconsult-kill-").FullName;
    private readonly int _port = LoopbackPorts.GetFree();

    protected ServerProcess Server { get; set; } = null!;

    /// <summary>The server's settings, on every start.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => ServerFixture.TestSettings;

    public async Task InitializeAsync() => Server = await StartServerAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Starts the server on the same data directory and port.</summary>
    protected Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(_dataDirectory, _port, settings: Settings);
}
