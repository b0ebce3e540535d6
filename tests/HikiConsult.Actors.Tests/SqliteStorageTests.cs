using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.Runtime;
using HikiConsult.Actors.Storage;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HikiConsult.Actors.Tests;

public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hikiconsult-actors-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "grains.db")}";

    private SqliteWriteQueue? _sharedWriter;

    public void Dispose()
    {
        _sharedWriter?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Holder<T> : IGrainState<T>
    {
        public T State { get; set; } = default!;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    /// <param name="sharedWriter">Write through one <see cref="SqliteWriteQueue"/> (shared by every storage of the test) instead of a connection each.</param>
    private SqliteGrainStorage NewStorage(bool sharedWriter = false)
    {
        var options = new SqliteGrainStorageOptions { ConnectionString = ConnectionString };
        if (sharedWriter)
        {
            options.WriteQueue = _sharedWriter ??= new SqliteWriteQueue(
                async ct =>
                {
                    var connection = new SqliteConnection(ConnectionString);
                    await connection.OpenAsync(ct);
                    return connection;
                },
                NullLogger<SqliteWriteQueue>.Instance);
        }

        return new SqliteGrainStorage("Default", options, NullLogger<SqliteGrainStorage>.Instance);
    }

    private static readonly GrainId Grain = new("counter", "k1");

    [Fact]
    public async Task Grain_state_survives_a_host_restart_on_the_same_database_file()
    {
        await using (var first = await StartOnSqliteAsync())
        {
            var counter = first.GetGrain<ICounterGrain>("persisted");
            await counter.Increment();
            await counter.Increment();
        }

        await using var second = await StartOnSqliteAsync();
        var again = second.GetGrain<ICounterGrain>("persisted");

        Assert.Equal(2, await again.ValueAtActivation());
        Assert.Equal(3, await again.Increment());
        Assert.Equal(0, second.Storage.Reads);
    }

    [Fact]
    public async Task Round_trip_keeps_the_record_and_etag_and_uses_WAL()
    {
        var storage = NewStorage();
        var written = new Holder<CounterState> { State = new CounterState(5, "five") };

        await storage.WriteStateAsync("counter", Grain, written);
        var read = new Holder<CounterState>();
        await storage.ReadStateAsync("counter", Grain, read);

        Assert.Equal(new CounterState(5, "five"), read.State);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(read.ETag);

        var missing = new Holder<CounterState>();
        await storage.ReadStateAsync("other-state", Grain, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_storages_on_one_file_detect_a_conflicting_update(bool sharedWriter)
    {
        var one = NewStorage(sharedWriter);
        var two = NewStorage(sharedWriter);
        await one.WriteStateAsync("counter", Grain, new Holder<CounterState> { State = new CounterState(1) });
        var a = new Holder<CounterState>();
        var b = new Holder<CounterState>();
        await one.ReadStateAsync("counter", Grain, a);
        await two.ReadStateAsync("counter", Grain, b);

        a.State = new CounterState(2, "a");
        await one.WriteStateAsync("counter", Grain, a);
        b.State = new CounterState(2, "b");
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => two.WriteStateAsync("counter", Grain, b));

        Assert.Equal(a.ETag, conflict.StoredEtag);
        Assert.Equal(b.ETag, conflict.CurrentEtag);
        var stored = new Holder<CounterState>();
        await two.ReadStateAsync("counter", Grain, stored);
        Assert.Equal(new CounterState(2, "a"), stored.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_storages_on_one_file_detect_a_conflicting_first_insert(bool sharedWriter)
    {
        var one = NewStorage(sharedWriter);
        var two = NewStorage(sharedWriter);
        var a = new Holder<CounterState>();
        var b = new Holder<CounterState>();
        await one.ReadStateAsync("counter", Grain, a);
        await two.ReadStateAsync("counter", Grain, b);

        a.State = new CounterState(1, "a");
        await one.WriteStateAsync("counter", Grain, a);
        b.State = new CounterState(1, "b");

        await Assert.ThrowsAsync<InconsistentStateException>(() => two.WriteStateAsync("counter", Grain, b));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClearState_deletes_the_record_and_checks_the_etag(bool sharedWriter)
    {
        var one = NewStorage(sharedWriter);
        var two = NewStorage(sharedWriter);
        var a = new Holder<CounterState> { State = new CounterState(3) };
        await one.WriteStateAsync("counter", Grain, a);
        var stale = new Holder<CounterState>();
        await two.ReadStateAsync("counter", Grain, stale);
        a.State = new CounterState(4);
        await one.WriteStateAsync("counter", Grain, a);

        await Assert.ThrowsAsync<InconsistentStateException>(() => two.ClearStateAsync("counter", Grain, stale));
        await one.ClearStateAsync("counter", Grain, a);

        Assert.Null(a.ETag);
        Assert.False(a.RecordExists);
        var after = new Holder<CounterState>();
        await two.ReadStateAsync("counter", Grain, after);
        Assert.False(after.RecordExists);

        // Written again after the clear: an insert, as for a new grain.
        after.State = new CounterState(9);
        await two.WriteStateAsync("counter", Grain, after);
        Assert.Equal("1", after.ETag);
    }

    [Fact]
    public async Task A_grain_on_sqlite_gets_InconsistentStateException_when_another_writer_won()
    {
        await using var host = await StartOnSqliteAsync();
        var counter = host.GetGrain<ICounterGrain>("shared-file");
        await counter.Increment();

        // Another process writes the same record through its own storage instance.
        var other = NewStorage();
        var theirs = new Holder<CounterState>();
        await other.ReadStateAsync("counter", counter.GetGrainId(), theirs);
        theirs.State = new CounterState(70);
        await other.WriteStateAsync("counter", counter.GetGrainId(), theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Increment());
        Assert.Equal(71, await counter.Increment());
    }

    private Task<TestGrainHost> StartOnSqliteAsync() =>
        TestHost.StartAsync(g => g.AddSqliteGrainStorage("Default", o => o.ConnectionString = ConnectionString));
}
