using Xunit;

namespace HikiConsult.Testing;

/// <summary>
/// One server for a test class: every test makes its own staff, clients and sessions, so they do not see each
/// other's data (counselors see only their own clients).
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public TestServerApp App { get; } = new();

    public Task InitializeAsync()
    {
        App.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => App.DisposeAsync().AsTask();
}
