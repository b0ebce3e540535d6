namespace HikiConsult.EarlyConsultation.Tests.Infrastructure;

/// <summary>
/// One server for a test class whose tests never move the clock: every test makes its own staff, clients and
/// sessions, so they do not see each other's data (counselors see only their own clients).
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public TestServerApp App { get; private set; } = null!;

    public Task InitializeAsync()
    {
        App = new TestServerApp();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
