using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HikiConsult.Storage.Sqlite.Tests;

/// <summary>The Orleans grain storage on SQLite: etag concurrency, new grains, and rows written by the previous build.</summary>
public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hikiconsult-grain-storage-").FullName;
    private readonly SqliteGrainStorage _storage;
    private readonly GrainId _session = GrainId.Create("session", "ses_0123456789abcdef0123456789abcdef");

    public SqliteGrainStorageTests() =>
        _storage = new SqliteGrainStorage("Default", new SqliteGrainStorageOptions { ConnectionString = ConnectionString }, NullLogger<SqliteGrainStorage>.Instance);

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "grains.db")};Pooling=false";

    [Fact]
    public async Task A_grain_without_a_row_starts_from_a_new_state()
    {
        var state = new GrainState<ConsultationSessionState>();
        await _storage.ReadStateAsync("session", _session, state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.False(state.State.Created);
    }

    [Fact]
    public async Task Writes_round_trip_and_a_writer_holding_an_old_etag_is_refused()
    {
        var first = new GrainState<ConsultationSessionState> { State = new ConsultationSessionState { Created = true, ClientId = "cli_1", State = SessionStates.Waiting } };
        await _storage.WriteStateAsync("session", _session, first);
        Assert.Equal("1", first.ETag);

        var second = new GrainState<ConsultationSessionState>();
        await _storage.ReadStateAsync("session", _session, second);
        Assert.Equal(first.State, second.State! with { Participants = first.State!.Participants });
        second.State = second.State with { State = SessionStates.Active };
        await _storage.WriteStateAsync("session", _session, second);
        Assert.Equal("2", second.ETag);

        // The first holder still has version 1: its write and its clear are refused, and the stored state stays.
        first.State = first.State with { State = SessionStates.Cancelled };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("session", _session, first));
        Assert.Equal("2", conflict.StoredEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("session", _session, first));

        var stored = new GrainState<ConsultationSessionState>();
        await _storage.ReadStateAsync("session", _session, stored);
        Assert.Equal(SessionStates.Active, stored.State!.State);
        Assert.Equal("2", stored.ETag);
    }

    [Fact]
    public async Task A_second_first_write_of_the_same_grain_is_refused()
    {
        await _storage.WriteStateAsync("session", _session, new GrainState<ConsultationSessionState> { State = new ConsultationSessionState { Created = true } });
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _storage.WriteStateAsync("session", _session, new GrainState<ConsultationSessionState> { State = new ConsultationSessionState { Created = true } }));
    }

    [Fact]
    public async Task State_written_by_the_previous_build_is_read_unchanged()
    {
        // A row exactly as the in-process grain host's SQLite provider wrote it (camelCase JSON, no type names,
        // grain type from [GrainType], the key as text): the same table and columns.
        await _storage.ReadStateAsync("session", GrainId.Create("session", "ses_unused"), new GrainState<ConsultationSessionState>());
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO grain_state (grain_type, grain_key, state_name, payload, version, updated_at) VALUES " +
                "('session', 'ses_0123456789abcdef0123456789abcdef', 'session', $payload, 7, '2026-12-01T10:00:00.0000000+00:00')";
            insert.Parameters.AddWithValue("$payload", """
                {"created":true,"clientId":"cli_0123456789abcdef0123456789abcdef","state":"ended","familyOnly":false,"scheduledAt":null,"createdAt":"2026-12-01T09:00:00+00:00","createdBy":"usr_1","endedAt":"2026-12-01T09:50:00+00:00","closedBy":"usr_1","closingNote":"Calm session.","clientSideJoined":true,"participants":[{"id":"usr_1","role":"counselor","displayName":"Demo Counselor"},{"id":"dev_1","role":"client","displayName":"Client"}]}
                """);
            await insert.ExecuteNonQueryAsync();
        }

        var state = new GrainState<ConsultationSessionState>();
        await _storage.ReadStateAsync("session", _session, state);
        Assert.True(state.RecordExists);
        Assert.Equal("7", state.ETag);
        Assert.Equal(SessionStates.Ended, state.State!.State);
        Assert.Equal("Calm session.", state.State.ClosingNote);
        Assert.True(state.State.ClientSideJoined);
        Assert.Equal([new SenderDto("usr_1", Roles.Counselor, "Demo Counselor"), new SenderDto("dev_1", Roles.Client, "Client")], state.State.Participants);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
