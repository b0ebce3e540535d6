using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Client.Transport;
using HikiConsult.Cohort.Generation;
using HikiConsult.Cohort.Hosting;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Cohort.Driving;

/// <summary>
/// Plays a <see cref="CohortPlan"/> against the running server through its public interfaces only: REST with the
/// client library's <see cref="HikiConsultApi"/> (plus the calls in <see cref="EarlyConsultationCalls"/>), and real
/// SignalR connections with <see cref="SessionConnection"/> for every session, counselor and device side alike.
/// Simulated time moves instant by instant: at each planned instant the server's clock is set, that instant's
/// events are played, the harness waits until the server has applied them, and the supervisor reads the triage
/// queue. At 00:00 UTC of each day, after the server's daily refresh, the queue is read again.
/// </summary>
public sealed class CohortDriver : IAsyncDisposable
{
    public const string DemoPassword = "demo-password";
    public const string CounselorPassword = "synthetic-cohort-password";
    private const string AcknowledgeNote = "Seen with the client; safety checked (synthetic cohort).";

    /// <summary>
    /// Staff tokens expire 12 hours after issue (Auth:StaffTokenLifetime) by the server's clock, but are checked against
    /// the wall clock, so in a simulated run they stay valid; the harness still checks a token this often and signs in
    /// again when refused, so it keeps working whichever clock the check uses. (Signing in costs a password hash.)
    /// </summary>
    private static readonly TimeSpan CheckTokenAfter = TimeSpan.FromHours(11);

    private readonly CohortPlan _plan;
    private readonly SimulatedServer _server;
    private readonly TextWriter? _progress;
    private readonly HttpClient _http;
    private readonly RunRecord _record = new();
    private readonly ConcurrentDictionary<(string SessionId, long Seq), MessageKind> _sentByClient = new();
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private readonly List<Staff> _counselors = [];
    private Staff _supervisor = null!;
    private ClientHandle[] _clients = [];

    private CohortDriver(CohortPlan plan, SimulatedServer server, TextWriter? progress)
    {
        _plan = plan;
        _server = server;
        _progress = progress;
        _http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    private CohortParameters P => _plan.Parameters;

    /// <summary>Runs the whole plan; the server's clock must stand at <see cref="CohortPlan.SetupAt"/>.</summary>
    public static async Task<RunRecord> RunAsync(CohortPlan plan, SimulatedServer server, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        if (server.Now != plan.SetupAt)
        {
            throw new InvalidOperationException($"The server's clock should stand at {plan.SetupAt:O}, not {server.Now:O}.");
        }

        await using var driver = new CohortDriver(plan, server, progress);
        var clock = Stopwatch.StartNew();
        await driver.SetUpAsync(cancellationToken);
        driver._record.SetupDuration = clock.Elapsed;
        clock.Restart();
        await driver.SimulateAsync(cancellationToken);
        await driver.CheckEndStateAsync(cancellationToken);
        driver._record.SimulationDuration = clock.Elapsed;
        driver._record.ServerWarnings = server.Warnings;
        driver._record.ServerErrors = server.Errors;
        driver._record.ServerProblems = server.Problems;
        return driver._record;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var counselor in _counselors)
        {
            if (counselor.AcknowledgeHub is { } hub)
            {
                await hub.DisposeAsync();
            }
        }

        _http.Dispose();
    }

    // ---- Set-up: accounts, clients, consents, paired devices ----

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        var admin = await SignInAsync("demo.admin", DemoPassword, cancellationToken);
        _supervisor = await SignInAsync("demo.supervisor", DemoPassword, cancellationToken);
        for (var i = 0; i < P.Counselors; i++)
        {
            var username = string.Create(CultureInfo.InvariantCulture, $"cohort.counselor.{i + 1:00}");
            await admin.Calls.CreateStaffAsync(username, $"Cohort counselor {i + 1} (synthetic)", Roles.Counselor, CounselorPassword, cancellationToken);
            var counselor = await SignInAsync(username, CounselorPassword, cancellationToken);
            counselor.AcknowledgeHub = new HubConnectionBuilder()
                .WithHikiConsultUrl(new Uri(_server.BaseAddress, HubPaths.Counselor), o => o.AccessTokenProvider = _ => ValueTask.FromResult(counselor.Api.AccessToken))
                .Build();
            await counselor.AcknowledgeHub.StartAsync(cancellationToken);
            _record.Counters.HubConnection();
            _counselors.Add(counselor);
        }

        _clients = new ClientHandle[_plan.Clients.Count];
        await ForEachAsync(_plan.Clients, async planned =>
        {
            var counselor = _counselors[planned.Counselor];
            var client = await counselor.Api.CreateClientAsync(planned.Alias, planned.Language, planned.TimeZone, cancellationToken);
            await counselor.Calls.RecordConsentAsync(client.Id, "Remote sessions through the avatar app (synthetic cohort)", cancellationToken);
            var code = await counselor.Api.CreatePairingCodeAsync(client.Id, DeviceKinds.Avatar, cancellationToken);
            var device = new HikiConsultApi(_http);
            await device.PairDeviceAsync(code.Code, $"Avatar app of {planned.Alias}", cancellationToken);
            _clients[planned.Index] = new ClientHandle(planned, client.Id, counselor, device, new EarlyConsultationCalls(_http, device));
        });

        foreach (var client in _clients)
        {
            _indexById[client.Id] = client.Planned.Index;
        }
    }

    private async Task<Staff> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        var api = new HikiConsultApi(_http);
        await api.LoginAsync(username, password, cancellationToken);
        return new Staff(username, password, api, new EarlyConsultationCalls(_http, api)) { TokenCheckedAt = _server.Now };
    }

    // ---- The simulated weeks ----

    private async Task SimulateAsync(CancellationToken cancellationToken)
    {
        var byTime = _plan.Actions.GroupBy(a => a.At).ToDictionary(g => g.Key, g => g.ToArray());
        var dayBoundaries = Enumerable.Range(1, (int)(_plan.End - _plan.SetupAt).TotalDays).Select(d => _plan.SetupAt.AddDays(d)).ToHashSet();
        var instants = new SortedSet<DateTimeOffset>(byTime.Keys.Concat(dayBoundaries));
        var reviews = new Dictionary<DateTimeOffset, HashSet<Staff>>();
        var acknowledgeDelay = TimeSpan.FromMinutes(P.AlertAcknowledgeDelayMinutes);

        while (instants.Count > 0)
        {
            var at = instants.Min;
            instants.Remove(at);
            var phase = Stopwatch.StartNew();
            await _server.AdvanceToAsync(at, cancellationToken);
            await SignInAgainIfDueAsync(cancellationToken);
            _record.Time("clock", phase.Elapsed);

            if (dayBoundaries.Contains(at))
            {
                // Before anything planned for the same instant: this read closes the day.
                phase.Restart();
                await ReadTriageAsync(ReadKind.Day, cancellationToken);
                _record.Time("triage reads", phase.Elapsed);
                ReportProgress(at);
            }

            var touched = new ConcurrentDictionary<int, bool>();
            var reviewers = new ConcurrentDictionary<Staff, bool>();
            phase.Restart();
            if (byTime.TryGetValue(at, out var actions))
            {
                await ForEachAsync(actions.GroupBy(a => a.Client).ToArray(), async group =>
                {
                    var client = _clients[group.Key];
                    foreach (var action in group)
                    {
                        await PlayAsync(action, client, cancellationToken);
                        touched[client.Planned.Index] = true;
                        if (action is PlannedSession { Outcome: SessionOutcome.Attended })
                        {
                            reviewers[client.Counselor] = true;
                        }
                    }
                });
            }

            _record.Time("events", phase.Elapsed);
            phase.Restart();
            if (reviews.Remove(at, out var due))
            {
                foreach (var counselor in due)
                {
                    await AcknowledgeAlertsAsync(counselor, cancellationToken);
                }
            }

            _record.Time("alert reviews", phase.Elapsed);

            if (!reviewers.IsEmpty)
            {
                var reviewAt = at + acknowledgeDelay;
                if (!reviews.TryGetValue(reviewAt, out var set))
                {
                    reviews[reviewAt] = set = [];
                    instants.Add(reviewAt);
                }

                set.UnionWith(reviewers.Keys);
            }

            if (!touched.IsEmpty || due is not null)
            {
                phase.Restart();
                await WaitUntilAppliedAsync(touched.Keys, cancellationToken);
                _record.Time("waiting until applied", phase.Elapsed);
                phase.Restart();
                await ReadTriageAsync(ReadKind.Events, cancellationToken);
                _record.Time("triage reads", phase.Elapsed);
            }
        }

        if (_server.Now < _plan.End)
        {
            await _server.AdvanceToAsync(_plan.End, cancellationToken);
        }
    }

    private async Task PlayAsync(PlannedAction action, ClientHandle client, CancellationToken cancellationToken)
    {
        try
        {
            switch (action)
            {
                case PlannedSession session:
                    await PlaySessionAsync(session, client, cancellationToken);
                    break;
                case PlannedAssessment assessment:
                    await SubmitAsync(assessment, client, client.DeviceCalls, cancellationToken);
                    break;
                case PlannedIsolationRecord record:
                    await RecordIsolationAsync(record, client, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{action.GetType().Name} of {client.Planned.Alias} at {action.At:O} failed: {ex.Message}", ex);
        }
    }

    private async Task PlaySessionAsync(PlannedSession planned, ClientHandle client, CancellationToken cancellationToken)
    {
        var counselor = client.Counselor;
        var session = await counselor.Api.CreateSessionAsync(client.Id, planned.At, familyOnly: false, cancellationToken);
        string expected;
        if (planned.Outcome == SessionOutcome.Cancelled)
        {
            await counselor.Calls.CancelSessionAsync(session.Id, cancellationToken);
            expected = SessionStates.Cancelled;
        }
        else
        {
            await using var staff = SessionConnection.For(counselor.Api, HubPaths.Counselor);
            await staff.StartAsync(cancellationToken);
            _record.Counters.HubConnection();
            await staff.JoinAsync(session.Id, cancellationToken: cancellationToken);
            if (planned.Outcome == SessionOutcome.Attended)
            {
                await using var device = SessionConnection.For(client.Device, HubPaths.Avatar);
                await device.StartAsync(cancellationToken);
                _record.Counters.HubConnection();
                var open = await client.Device.GetMySessionsAsync(cancellationToken);
                if (!open.Any(s => s.Id == session.Id))
                {
                    Mismatch(client, $"session {session.Id} is not among the device's open sessions");
                }

                await device.JoinAsync(session.Id, cancellationToken: cancellationToken);
                foreach (var message in planned.Messages)
                {
                    if (message.Kind == MessageKind.Counselor)
                    {
                        await staff.SendTextAsync(message.Text, cancellationToken);
                        _record.Counters.CounselorMessage();
                    }
                    else
                    {
                        var ack = await device.SendTextAsync(message.Text, cancellationToken);
                        _sentByClient[(session.Id, ack.Seq)] = message.Kind;
                        _record.Counters.ClientMessage();
                    }
                }

                if (planned.CounselorScreener is { } screener)
                {
                    await SubmitAsync(screener, client, counselor.Calls, cancellationToken);
                }

                await staff.EndSessionAsync("Session held (synthetic cohort).", cancellationToken);
                expected = SessionStates.Ended;
            }
            else
            {
                await staff.EndSessionAsync("The client did not come (synthetic cohort).", cancellationToken);
                expected = SessionStates.NoShow;
            }
        }

        var closed = await counselor.Api.GetSessionAsync(session.Id, cancellationToken);
        if (closed.State != expected)
        {
            Mismatch(client, $"session at {planned.At:O} ended as {closed.State}, planned {expected}");
        }

        _record.Counters.Session(planned.Outcome);
    }

    private async Task SubmitAsync(PlannedAssessment planned, ClientHandle client, EarlyConsultationCalls caller, CancellationToken cancellationToken)
    {
        var result = await caller.SubmitAssessmentAsync(client.Id, planned.Instrument, planned.Answers, planned.CompletedBy, cancellationToken);
        _record.Counters.Assessment();
        if (planned.ExpectedTotal is { } total && (!result.TryGetProperty("total", out var t) || t.ValueKind != JsonValueKind.Number || t.GetInt32() != total))
        {
            Mismatch(client, $"{planned.Instrument} at {planned.At:O} scored {Text(result, "total")}, planned total {total}");
        }

        if (planned.ExpectedBand is { } band && Text(result, "band") != band)
        {
            Mismatch(client, $"{planned.Instrument} at {planned.At:O} has band {Text(result, "band")}, planned {band}");
        }
    }

    private async Task RecordIsolationAsync(PlannedIsolationRecord planned, ClientHandle client, CancellationToken cancellationToken)
    {
        var entry = await client.Counselor.Calls.RecordIsolationAsync(client.Id, new
        {
            planned.EstimatedMonthsOfContinuousIsolation,
            planned.DaysOutOfHomePerWeek,
            planned.RarelyLeavesOneRoom,
            planned.FunctionalImpairment,
            planned.Distress,
            CoOccurringConditions = Array.Empty<string>(),
        }, cancellationToken);
        _record.Counters.IsolationRecord();
        var status = entry.TryGetProperty("classification", out var c) ? Text(c, "status") : null;
        if (status != planned.ExpectedStatus)
        {
            Mismatch(client, $"isolation record at {planned.At:O} classified {status}, planned {planned.ExpectedStatus}");
        }
    }

    /// <summary>The counselor's review: every open alert of the caseload is acknowledged with a note, over the counselor hub.</summary>
    private async Task AcknowledgeAlertsAsync(Staff counselor, CancellationToken cancellationToken)
    {
        foreach (var alert in await counselor.Calls.OpenAlertsAsync(cancellationToken))
        {
            var acknowledged = await counselor.AcknowledgeHub!.InvokeAsync<RiskAlertDto>(EarlyConsultationHubMethods.AcknowledgeAlert, alert.AlertId, AcknowledgeNote, cancellationToken);
            var index = _indexById.GetValueOrDefault(alert.ClientId, -1);
            _record.Alerts.Add(new AlertObservation(
                index,
                alert.CreatedAt,
                acknowledged.AcknowledgedAt ?? _server.Now,
                alert.Category,
                alert.Status,
                _sentByClient.TryGetValue((alert.SessionId, alert.Seq), out var kind) ? kind : null));
        }
    }

    /// <summary>
    /// Session activity reaches a client's analytics one way, after the sender's ack. Reading each touched client's
    /// timeline returns only after those earlier updates (a client's calls are handled in order), and by then the
    /// triage queue has been sent the client's new signals, so the next triage read sees them.
    /// </summary>
    private Task WaitUntilAppliedAsync(ICollection<int> clients, CancellationToken cancellationToken) =>
        ForEachAsync(clients.ToArray(), async index =>
        {
            var client = _clients[index];
            await client.Counselor.Calls.TimelineAsync(client.Id, cancellationToken);
        });

    private async Task ReadTriageAsync(ReadKind kind, CancellationToken cancellationToken)
    {
        var queue = await _supervisor.Calls.TriageAsync(cancellationToken);
        _record.Counters.TriageRead();
        if (queue.UpdatedAt != _server.Now)
        {
            Mismatch(null, $"triage read at {_server.Now:O} is dated {queue.UpdatedAt:O}");
        }

        var entries = new List<QueueEntry>(queue.Entries.Count);
        foreach (var e in queue.Entries)
        {
            var index = _indexById.GetValueOrDefault(e.ClientId, -1);
            if (index < 0)
            {
                _record.UnknownQueueEntries++;
            }

            entries.Add(new QueueEntry(index, e.Score, e.Reasons.Count, [.. e.Reasons.Select(r => r.Code)]));
        }

        _record.Reads.Add(new TriageRead(_server.Now, kind, entries));
    }

    /// <summary>After the last week: the server's counts agree with the plan, and no alert is left open.</summary>
    private async Task CheckEndStateAsync(CancellationToken cancellationToken)
    {
        var sessions = _plan.Actions.OfType<PlannedSession>().ToLookup(s => s.Client);
        await ForEachAsync(_clients, async client =>
        {
            var timeline = await client.Counselor.Calls.TimelineAsync(client.Id, cancellationToken);
            var summary = timeline.GetProperty("summary");
            var planned = sessions[client.Planned.Index].ToArray();
            Compare(client, "sessions attended", summary, "sessionsAttended", planned.Count(s => s.Outcome == SessionOutcome.Attended));
            Compare(client, "no-shows", summary, "noShows", planned.Count(s => s.Outcome == SessionOutcome.NoShow));
            Compare(client, "cancelled sessions", summary, "sessionsCancelled", planned.Count(s => s.Outcome == SessionOutcome.Cancelled));
        });

        var open = await _supervisor.Calls.OpenAlertsAsync(cancellationToken);
        if (open.Count > 0)
        {
            Mismatch(null, $"{open.Count} alerts still open at the end");
        }
    }

    private void Compare(ClientHandle client, string what, JsonElement summary, string property, int expected)
    {
        var actual = summary.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : -1;
        if (actual != expected)
        {
            Mismatch(client, $"{what}: server {actual}, plan {expected}");
        }
    }

    private async Task SignInAgainIfDueAsync(CancellationToken cancellationToken)
    {
        foreach (var staff in _counselors.Append(_supervisor))
        {
            if (_server.Now - staff.TokenCheckedAt < CheckTokenAfter)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", staff.Api.AccessToken);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                await staff.Api.LoginAsync(staff.Username, staff.Password, cancellationToken);
                _record.SignInsAgain++;
            }

            staff.TokenCheckedAt = _server.Now;
        }
    }

    private void ReportProgress(DateTimeOffset at)
    {
        if (_progress is null || at <= P.Start || (at - P.Start).Ticks % TimeSpan.FromDays(7).Ticks != 0)
        {
            return;
        }

        var week = (int)((at - P.Start).TotalDays / 7);
        var read = _record.Reads[^1];
        var deteriorating = read.Entries.Take(10).Count(e => e.Client >= 0 && _plan.Clients[e.Client].Trajectory == Trajectory.Deteriorating);
        _progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  week {week}/{P.Weeks} done ({at:yyyy-MM-dd}): {_record.Counters.SessionsAttended + _record.Counters.NoShows + _record.Counters.Cancelled} sessions so far, queue {read.Entries.Count} entries, {deteriorating} deteriorating in the top 10"));
    }

    private void Mismatch(ClientHandle? client, string what)
    {
        lock (_record.Mismatches)
        {
            _record.Mismatches.Add(client is null ? what : $"{client.Planned.Alias}: {what}");
        }
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Null => null, _ => value.GetRawText() }
            : null;

    private async Task ForEachAsync<T>(IReadOnlyCollection<T> items, Func<T, Task> body)
    {
        using var gate = new SemaphoreSlim(P.Concurrency);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await body(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>A staff account the harness signs in as; counselors also keep a hub connection for acknowledging alerts.</summary>
    private sealed class Staff(string username, string password, HikiConsultApi api, EarlyConsultationCalls calls)
    {
        public string Username => username;
        public string Password => password;
        public HikiConsultApi Api => api;
        public EarlyConsultationCalls Calls => calls;
        public DateTimeOffset TokenCheckedAt { get; set; }
        public HubConnection? AcknowledgeHub { get; set; }
    }

    private sealed record ClientHandle(PlannedClient Planned, string Id, Staff Counselor, HikiConsultApi Device, EarlyConsultationCalls DeviceCalls);
}
