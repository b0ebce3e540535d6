namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>One server per test class; tests create their own accounts and clients, so they do not interfere.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public ServerApp App { get; } = new();

    public Task InitializeAsync()
    {
        App.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
