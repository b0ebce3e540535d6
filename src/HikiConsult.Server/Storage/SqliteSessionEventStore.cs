using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using Microsoft.Data.Sqlite;

namespace HikiConsult.Server.Storage;

/// <summary>
/// The session log in SQLite. Appends go through one writer that commits whatever is queued in one
/// transaction (group commit): SQLite has one write lock anyway, and one writer never waits for it behind
/// itself. An append completes only after its transaction has committed. Reads use their own pooled connections
/// and see every committed append (WAL).
/// </summary>
public sealed partial class SqliteSessionEventStore : ISessionEventStore, IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly SqliteDatabase _database;
    private readonly ILogger<SqliteSessionEventStore> _logger;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public SqliteSessionEventStore(SqliteDatabase database, ILogger<SqliteSessionEventStore> logger)
    {
        _database = database;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task<AppendOutcome> AppendAsync(StoredSessionEvent sessionEvent, CancellationToken cancellationToken = default)
    {
        var pending = new PendingAppend(sessionEvent, new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException<AppendOutcome>(new ObjectDisposedException(nameof(SqliteSessionEventStore), "The event store is shutting down."));
        }

        return pending.Completion.Task;
    }

    public async Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT MAX(seq) FROM session_events WHERE session_id = @sessionId", new { sessionId }, cancellationToken: cancellationToken)) ?? 0;
    }

    public async Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await FindAckAsync(connection, null, sessionId, senderId, clientMsgId);
    }

    public async Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT session_id AS SessionId, seq AS Seq, at AS At, sender_id AS SenderId, sender_role AS SenderRole, sender_name AS SenderName, kind AS Kind, body AS Body " +
            "FROM session_events WHERE session_id = @sessionId AND seq > @afterSeq ORDER BY seq LIMIT @limit",
            new { sessionId, afterSeq, limit = (long)limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDto())];
    }

    public async Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            "SELECT session_id AS SessionId, seq AS Seq, at AS At, sender_id AS SenderId, sender_role AS SenderRole, sender_name AS SenderName, kind AS Kind, body AS Body " +
            "FROM session_events WHERE session_id = @sessionId AND kind = @kind AND json_extract(body, '$.action') = @action ORDER BY seq DESC LIMIT 1",
            new { sessionId, kind = EventKinds.System, action },
            cancellationToken: cancellationToken));
        return row?.ToDto();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(MaxBatch);
        SqliteConnection? connection = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                try
                {
                    connection ??= await OpenWriterAsync();
                    var outcomes = await WriteBatchAsync(connection, batch);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Completion.TrySetResult(outcomes[i]);
                    }
                }
                catch (Exception ex)
                {
                    // Nothing of the batch is committed: every sender gets the error and its seq stays free.
                    WriteFailed(_logger, batch.Count, ex);
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetException(ex);
                    }

                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync()
    {
        var connection = await _database.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA cache_size = -{_database.EventWriterCacheMegabytes * 1024};";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task<AppendOutcome[]> WriteBatchAsync(SqliteConnection connection, List<PendingAppend> batch)
    {
        var outcomes = new AppendOutcome[batch.Count];
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO session_events (session_id, seq, at, sender_id, sender_role, sender_name, kind, body, client_msg_id) " +
            "VALUES ($session, $seq, $at, $senderId, $senderRole, $senderName, $kind, $body, $clientMsgId)";
        var session = insert.Parameters.Add("$session", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var senderId = insert.Parameters.Add("$senderId", SqliteType.Text);
        var senderRole = insert.Parameters.Add("$senderRole", SqliteType.Text);
        var senderName = insert.Parameters.Add("$senderName", SqliteType.Text);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var clientMsgId = insert.Parameters.Add("$clientMsgId", SqliteType.Text);
        insert.Prepare();

        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i].Event;
            session.Value = e.SessionId;
            seq.Value = e.Seq;
            at.Value = e.At.ToUnixTimeMilliseconds();
            senderId.Value = e.Sender.Id;
            senderRole.Value = e.Sender.Role;
            senderName.Value = e.Sender.DisplayName;
            kind.Value = e.Kind;
            body.Value = e.BodyJson;
            clientMsgId.Value = (object?)e.ClientMsgId ?? DBNull.Value;
            try
            {
                await insert.ExecuteNonQueryAsync();
                outcomes[i] = AppendOutcome.Success;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique && e.ClientMsgId is not null)
            {
                // A failed statement does not end the transaction in SQLite; the rest of the batch goes on.
                var original = await FindAckAsync(connection, transaction, e.SessionId, e.Sender.Id, e.ClientMsgId)
                    ?? throw new InvalidOperationException("A clientMsgId conflict without a stored original.", ex);
                outcomes[i] = new AppendOutcome.Duplicate(original);
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
            {
                outcomes[i] = AppendOutcome.SeqConflict;
            }
        }

        await transaction.CommitAsync();
        return outcomes;
    }

    private static async Task<SendAck?> FindAckAsync(SqliteConnection connection, SqliteTransaction? transaction, string sessionId, string senderId, string clientMsgId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<AckRow>(
            "SELECT seq AS Seq, at AS At FROM session_events WHERE session_id = @sessionId AND sender_id = @senderId AND client_msg_id = @clientMsgId",
            new { sessionId, senderId, clientMsgId },
            transaction);
        return row is null ? null : new SendAck(row.Seq, DateTimeOffset.FromUnixTimeMilliseconds(row.At), false);
    }

    [LoggerMessage(1, LogLevel.Error, "Writing {Count} session events failed; none were stored")]
    private static partial void WriteFailed(ILogger logger, int count, Exception exception);

    private sealed record PendingAppend(StoredSessionEvent Event, TaskCompletionSource<AppendOutcome> Completion);

    private sealed record AckRow(long Seq, long At);

    private sealed record EventRow(string SessionId, long Seq, long At, string SenderId, string SenderRole, string SenderName, string Kind, string Body)
    {
        public SessionEventDto ToDto() => new(
            SessionId,
            Seq,
            DateTimeOffset.FromUnixTimeMilliseconds(At),
            new SenderDto(SenderId, SenderRole, SenderName),
            Kind,
            JsonSerializer.Deserialize<JsonElement>(Body));
    }
}
