using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_deactivates_every_activation_and_their_OnDeactivateAsync_writes_land()
    {
        var host = await TestHost.StartAsync();
        await using var _ = host;
        var journals = Enumerable.Range(0, 50).Select(i => host.GetGrain<IJournalGrain>("j" + i)).ToArray();
        foreach (var journal in journals)
        {
            await journal.Note();
            await journal.Note();
        }

        Assert.Equal(0, host.Storage.Writes);

        await host.StopAsync();

        Assert.Equal(0, host.ActivationCount);
        Assert.All(journals, j => Assert.Equal(new JournalState(2, "ShuttingDown"), host.GetState<JournalState>(j, "journal")));
        Assert.Equal(50, host.Storage.Writes);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_write_in_progress_finish()
    {
        var host = await TestHost.StartAsync();
        await using var _ = host;
        var journal = host.GetGrain<IJournalGrain>("busy");
        await journal.Note();
        host.Gates().Arm("write");
        host.Storage.BeforeWrite = (_, _) => host.Gates().Pass("write");

        var saving = journal.NoteAndSave();
        await host.Gates().WhenEntered("write");
        var stopping = host.StopAsync();
        await host.WaitUntilSettledAsync();
        Assert.False(stopping.IsCompleted);
        Assert.False(saving.IsCompleted);

        host.Gates().Release("write");
        await saving.WaitAsync(TestHost.Patience);
        await stopping.WaitAsync(TestHost.Patience);

        // The held write, then the write from OnDeactivateAsync.
        Assert.Equal(2, host.Storage.WritesOf(journal));
        Assert.Equal(new JournalState(2, "ShuttingDown"), host.GetState<JournalState>(journal, "journal"));
    }

    [Fact]
    public async Task Calls_after_shutdown_fail_instead_of_activating()
    {
        var host = await TestHost.StartAsync();
        await using var _ = host;
        var counter = host.GetGrain<ICounterGrain>("late");

        await host.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.Get());
        Assert.Equal(0, host.Events().CountStartingWith("activate:"));
    }
}
