using System.Collections.Concurrent;
using HikiConsult.Contracts;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Protection;
using HikiConsult.Grains.Sessions;
using HikiConsult.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace HikiConsult.Grains.Tests;

/// <summary>
/// Two silos of Microsoft.Orleans.TestingHost's in-process cluster, shared by the grain tests of one collection. The
/// session log and the client directory are shared by both silos, as a database is; grain state is in a SQLite file
/// through the product's own provider.
/// </summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public static readonly InMemorySessionEventStore Log = new();

    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    private readonly string _directory = Directory.CreateTempSubdirectory("hikiconsult-grain-tests-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorage("Default", o => o.ConnectionString = $"Data Source={Path.Combine(_directory, "grains.db")}");
            silo.Services.AddSerializer(serializer => serializer.AddHikiConsultSerialization());
            silo.Services.AddSingleton<ISessionEventStore>(Log);
            silo.Services.AddSingleton<IClientDirectory, NoDirectory>();
            silo.Services.AddSingleton<TimeProvider>(Clock);

            // Both silos read one key directory, as a cluster's nodes do.
            silo.Services.AddSingleton<IClinicalDataProtector>(_ => new AesGcmClinicalDataProtector(new DataKeyRing(Path.Combine(_directory, "keys"), Clock, TimeSpan.Zero)));
            silo.Services.UseHostClockForGrainTimersOnly();
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddHikiConsultSerialization()));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class NoDirectory : IClientDirectory
    {
        public Task AddAsync(string clientId, DateTimeOffset createdAt, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}

[CollectionDefinition(Name)]
public sealed class TwoSiloCollection : ICollectionFixture<TwoSiloCluster>
{
    public const string Name = "two silos";
}

/// <summary>A session log in memory with the store's contract: (session, seq) unique, appends durable at once.</summary>
public sealed class InMemorySessionEventStore : ISessionEventStore
{
    private readonly ConcurrentDictionary<string, SortedList<long, (SessionEventDto Event, string? ClientMsgId)>> _logs = new(StringComparer.Ordinal);

    public IReadOnlyList<SessionEventDto> Events(string sessionId)
    {
        var log = Log(sessionId);
        lock (log)
        {
            return [.. log.Values.Select(v => v.Event)];
        }
    }

    public Task<long> GetLastSeqAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var log = Log(sessionId);
        lock (log)
        {
            return Task.FromResult(log.Count == 0 ? 0 : log.Keys[^1]);
        }
    }

    public Task<AppendOutcome> AppendAsync(StoredSessionEvent e, CancellationToken cancellationToken = default)
    {
        var log = Log(e.SessionId);
        lock (log)
        {
            if (log.ContainsKey(e.Seq))
            {
                return Task.FromResult(AppendOutcome.SeqConflict);
            }

            log.Add(e.Seq, (new SessionEventDto(e.SessionId, e.Seq, e.At, e.Sender, e.Kind, e.Body.Clone()), e.ClientMsgId));
            return Task.FromResult(AppendOutcome.Success);
        }
    }

    public Task<SendAck?> FindByClientMsgIdAsync(string sessionId, string senderId, string clientMsgId, CancellationToken cancellationToken = default)
    {
        var log = Log(sessionId);
        lock (log)
        {
            var found = log.Values.FirstOrDefault(v => v.ClientMsgId == clientMsgId && v.Event.Sender.Id == senderId);
            return Task.FromResult(found.Event is null ? null : new SendAck(found.Event.Seq, found.Event.At, false));
        }
    }

    public Task<IReadOnlyList<SentMessageKey>> ReadClientMsgIdsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var log = Log(sessionId);
        lock (log)
        {
            return Task.FromResult<IReadOnlyList<SentMessageKey>>([.. log.Values.Where(v => v.ClientMsgId is not null).Select(v => new SentMessageKey(v.Event.Sender.Id, v.ClientMsgId!))]);
        }
    }

    public Task<IReadOnlyList<SessionEventDto>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var log = Log(sessionId);
        lock (log)
        {
            return Task.FromResult<IReadOnlyList<SessionEventDto>>([.. log.Values.Select(v => v.Event).Where(e => e.Seq > afterSeq).Take(limit)]);
        }
    }

    public Task<SessionEventDto?> FindLastSystemEventAsync(string sessionId, string action, CancellationToken cancellationToken = default)
    {
        var log = Log(sessionId);
        lock (log)
        {
            return Task.FromResult(log.Values.Select(v => v.Event).LastOrDefault(e =>
                e.Kind == EventKinds.System && e.Body.TryGetProperty("action", out var a) && a.GetString() == action));
        }
    }

    private SortedList<long, (SessionEventDto Event, string? ClientMsgId)> Log(string sessionId) => _logs.GetOrAdd(sessionId, _ => []);
}
