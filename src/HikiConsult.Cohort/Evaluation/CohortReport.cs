using HikiConsult.Cohort.Driving;
using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Evaluation;

/// <summary>The figures of one run, computed from the plan (the truth) and what the harness read from the server.</summary>
public sealed record CohortReport(
    string Notice,
    string Command,
    CohortParameters Parameters,
    CohortComposition Composition,
    RunTotals Totals,
    IReadOnlyList<WeekFigures> Weeks,
    IReadOnlyList<ClientDetection> Detection,
    DetectionSummary DetectionSummary,
    IReadOnlyList<FirstSignSummary> ByFirstSign,
    IReadOnlyList<QueueMember> FinalTopTen,
    DetectorFigures Detector,
    IReadOnlyList<string> Mismatches)
{
    public const string SyntheticNotice = "SYNTHETIC cohort: every client is generated from a seed; none is, or is based on, a real person. Decision-support evaluation only.";

    public static CohortReport Build(CohortPlan plan, RunRecord run, string command)
    {
        var p = plan.Parameters;
        var clients = plan.Clients;
        bool IsDeteriorating(int i) => i >= 0 && clients[i].Trajectory == Trajectory.Deteriorating;

        var weeks = new List<WeekFigures>();
        for (var week = 1; week <= p.Weeks; week++)
        {
            var at = p.Start.AddDays(7 * week);
            var read = run.Reads.LastOrDefault(r => r.Kind == ReadKind.Day && r.At == at)
                ?? throw new InvalidOperationException($"No triage read at the end of week {week} ({at:O}).");
            bool SignShown(int i) => IsDeteriorating(i) && clients[i].FirstWarningSign <= at;
            var shown = clients.Count(c => c.Trajectory == Trajectory.Deteriorating && c.FirstWarningSign <= at);
            weeks.Add(new WeekFigures(
                week,
                at,
                read.Entries.Count,
                Scoring.PrecisionAtK(read.Entries, IsDeteriorating),
                Scoring.TieAwarePrecisionAtK(read.Entries, IsDeteriorating),
                Math.Min(Scoring.K, p.Deteriorating) / (double)Scoring.K,
                Scoring.TieAwarePrecisionAtK(read.Entries, SignShown),
                shown,
                Math.Min(Scoring.K, shown) / (double)Scoring.K,
                Math.Round(Scoring.ExpectedInTopK(read.Entries, IsDeteriorating), 2),
                Math.Round(Scoring.ExpectedInTopK(read.Entries, i => i >= 0 && clients[i].Trajectory == Trajectory.Stable), 2),
                Math.Round(Scoring.ExpectedInTopK(read.Entries, i => i >= 0 && clients[i].Trajectory == Trajectory.Improving), 2)));
        }

        // In the order read: at one instant the day's closing read comes before that instant's events.
        var ordered = run.Reads;
        var detection = new List<ClientDetection>();
        foreach (var client in clients.Where(c => c.Trajectory == Trajectory.Deteriorating))
        {
            var sign = client.FirstWarningSign;
            var firstSigns = client.WarningSigns.Where(w => w.At == sign).Select(w => w.Signal).Order().ToArray();
            TriageRead? entry = null;
            TriageRead? served = null;
            var before = false;
            foreach (var read in ordered)
            {
                var inTop = Scoring.InTopKWhateverTies(read.Entries, client.Index);
                if (sign is null || read.At < sign)
                {
                    before |= inTop;
                    continue;
                }

                entry ??= inTop ? read : null;
                served ??= read.Entries.Take(Scoring.K).Any(e => e.Client == client.Index) ? read : null;
                if (entry is not null && served is not null)
                {
                    break;
                }
            }

            var reasons = entry?.Entries.First(e => e.Client == client.Index).Codes ?? [];
            detection.Add(new ClientDetection(
                client.Alias,
                client.Language,
                client.OnsetWeek,
                client.Signals,
                firstSigns,
                sign,
                entry?.At,
                entry is null || sign is null ? null : Days(entry.At - sign.Value),
                served is null || sign is null ? null : Days(served.At - sign.Value),
                before,
                reasons));
        }

        var reached = detection.Where(d => d.DaysToTopTen is not null).Select(d => d.DaysToTopTen!.Value).ToArray();
        var summary = new DetectionSummary(
            detection.Count,
            reached.Length,
            Scoring.Median(reached),
            reached.Length == 0 ? null : Math.Round(reached.Average(), 2),
            reached.Length == 0 ? null : reached.Max(),
            detection.Count(d => d.InTopTenBeforeFirstSign));

        var byFirst = detection
            .Where(d => d.FirstSigns.Count > 0)
            .GroupBy(d => string.Join(" + ", d.FirstSigns))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var days = g.Where(d => d.DaysToTopTen is not null).Select(d => d.DaysToTopTen!.Value).ToArray();
                return new FirstSignSummary(g.Key, g.Count(), days.Length, Scoring.Median(days), days.Length == 0 ? null : days.Max());
            })
            .ToArray();

        var last = run.Reads.Last(r => r.Kind == ReadKind.Day && r.At == p.Start.AddDays(7 * p.Weeks));
        // Whole tied groups, in a fixed order, with the share of the top-ten places each group gets.
        var finalTop = Scoring.TopKGroups(last.Entries)
            .SelectMany(g => g.Group.Select(e => (Entry: e, Share: Math.Round((double)g.Places / g.Group.Count, 2))))
            .Select(x => x.Entry.Client < 0
                ? new QueueMember("(outside the cohort)", null, [], [], x.Entry.Score, x.Share, x.Entry.Codes)
                : new QueueMember(clients[x.Entry.Client].Alias, clients[x.Entry.Client].Trajectory, clients[x.Entry.Client].Signals, clients[x.Entry.Client].Distractors, x.Entry.Score, x.Share, x.Entry.Codes))
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.Reasons.Count).ThenBy(m => m.Alias, StringComparer.Ordinal)
            .ToArray();

        var sessions = plan.Actions.OfType<PlannedSession>().ToArray();
        var totals = new RunTotals(
            Math.Round(run.SetupDuration.TotalSeconds, 1),
            Math.Round(run.SimulationDuration.TotalSeconds, 1),
            sessions.Length,
            run.Counters.SessionsAttended,
            run.Counters.NoShows,
            run.Counters.Cancelled,
            run.Counters.ClientMessages,
            run.Counters.CounselorMessages,
            run.Counters.Assessments,
            run.Counters.IsolationRecords,
            run.Counters.HubConnections,
            run.Counters.TriageReads,
            run.ServerWarnings,
            run.ServerErrors,
            run.UnknownQueueEntries,
            run.SignInsAgain,
            run.PhaseSeconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 1)),
            run.ServerProblems);

        var composition = new CohortComposition(
            clients.Count,
            p.Deteriorating,
            p.Stable,
            p.Improving,
            Enum.GetValues<Signal>().ToDictionary(s => s.ToString(), s => clients.Count(c => c.Signals.Contains(s))),
            Enum.GetValues<Distractor>().ToDictionary(d => d.ToString(), d => clients.Count(c => c.Distractors.Contains(d))),
            clients.GroupBy(c => c.Language).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));

        return new CohortReport(SyntheticNotice, command, p, composition, totals, weeks, detection, summary, byFirst, finalTop,
            DetectorFiguresOf(plan, run), [.. run.Mismatches]);
    }

    private static DetectorFigures DetectorFiguresOf(CohortPlan plan, RunRecord run)
    {
        var planned = plan.Actions.OfType<PlannedSession>().Where(s => s.Outcome == SessionOutcome.Attended).SelectMany(s => s.Messages).ToArray();
        int Planned(MessageKind kind) => planned.Count(m => m.Kind == kind);
        int Alerted(MessageKind kind) => run.Alerts.Count(a => a.PlannedAs == kind);
        var riskByLanguage = plan.Actions.OfType<PlannedSession>()
            .Where(s => s.Outcome == SessionOutcome.Attended && s.Messages.Any(m => m.Kind == MessageKind.Risk))
            .GroupBy(s => plan.Clients[s.Client].Language)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        return new DetectorFigures(
            Planned(MessageKind.Risk),
            Alerted(MessageKind.Risk),
            riskByLanguage,
            Planned(MessageKind.TransientHopelessness),
            Alerted(MessageKind.TransientHopelessness),
            Planned(MessageKind.Negated),
            Alerted(MessageKind.Negated),
            Planned(MessageKind.Neutral),
            Alerted(MessageKind.Neutral),
            run.Alerts.Count(a => a.StatusBeforeAcknowledgement == "escalated"),
            run.Alerts.Count == 0 ? null : Math.Round(run.Alerts.Max(a => (a.AcknowledgedAt - a.RaisedAt).TotalMinutes), 1));
    }

    private static double Days(TimeSpan span) => Math.Round(span.TotalDays, 2);
}

public sealed record CohortComposition(
    int Clients,
    int Deteriorating,
    int Stable,
    int Improving,
    IReadOnlyDictionary<string, int> Signals,
    IReadOnlyDictionary<string, int> Distractors,
    IReadOnlyDictionary<string, int> Languages);

public sealed record RunTotals(
    double SetupSeconds,
    double SimulationSeconds,
    int SessionsPlanned,
    int SessionsAttended,
    int NoShows,
    int Cancelled,
    int ClientMessages,
    int CounselorMessages,
    int Assessments,
    int IsolationRecords,
    int HubConnections,
    int TriageReads,
    int ServerWarnings,
    int ServerErrors,
    int QueueEntriesOutsideCohort,
    int StaffSignInsAgain,
    IReadOnlyDictionary<string, double> PhaseSeconds,
    IReadOnlyDictionary<string, int> ServerProblems);

/// <summary>The queue at the end of a simulated week (00:00 UTC Monday, after the daily refresh).</summary>
/// <param name="PrecisionAtTen">Deteriorating clients among the first ten as served, over ten.</param>
/// <param name="TieAwarePrecisionAtTen">The same, expected over every order of tied entries.</param>
/// <param name="BestPossible">min(10, deteriorating clients) / 10.</param>
/// <param name="TieAwarePrecisionAtTenSignShown">Tie-aware, counting only deteriorating clients whose first warning sign has happened.</param>
public sealed record WeekFigures(
    int Week,
    DateTimeOffset At,
    int QueueLength,
    double PrecisionAtTen,
    double TieAwarePrecisionAtTen,
    double BestPossible,
    double TieAwarePrecisionAtTenSignShown,
    int DeterioratingWithSignShown,
    double BestPossibleSignShown,
    double DeterioratingInTopTen,
    double StableInTopTen,
    double ImprovingInTopTen);

/// <summary>
/// When a deteriorating client first showed a warning sign (<see cref="FirstSigns"/>: every sign that showed at that
/// instant), and when the queue first put it in the top ten whatever the order of ties (and as served).
/// </summary>
public sealed record ClientDetection(
    string Alias,
    string Language,
    int? OnsetWeek,
    IReadOnlyList<Signal> Signals,
    IReadOnlyList<Signal> FirstSigns,
    DateTimeOffset? FirstSignAt,
    DateTimeOffset? FirstInTopTenAt,
    double? DaysToTopTen,
    double? DaysToTopTenAsServed,
    bool InTopTenBeforeFirstSign,
    IReadOnlyList<string> ReasonsAtEntry);

public sealed record DetectionSummary(int Deteriorating, int Reached, double? MedianDays, double? MeanDays, double? MaxDays, int InTopTenBeforeFirstSign);

/// <param name="FirstSigns">The signs that showed first (several when they showed in the same session or instant).</param>
public sealed record FirstSignSummary(string FirstSigns, int Clients, int Reached, double? MedianDays, double? MaxDays);

/// <param name="ShareOfTopTen">1 when the client is in the top ten whatever the order of ties; less for a tied group that straddles place ten.</param>
public sealed record QueueMember(string Alias, Trajectory? Trajectory, IReadOnlyList<Signal> Signals, IReadOnlyList<Distractor> Distractors, double Score, double ShareOfTopTen, IReadOnlyList<string> Reasons);

public sealed record DetectorFigures(
    int RiskMessages,
    int RiskMessagesAlerted,
    IReadOnlyDictionary<string, int> RiskMessagesByLanguage,
    int TransientHopelessness,
    int TransientHopelessnessAlerted,
    int NegatedPhrases,
    int NegatedPhrasesAlerted,
    int NeutralMessages,
    int NeutralMessagesAlerted,
    int AlertsEscalated,
    double? LongestMinutesToAcknowledge);
