using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HikiConsult.Cohort.Evaluation;

/// <summary>Writes a <see cref="CohortReport"/> as plain text (console), JSON (every figure) and Markdown tables (docs).</summary>
public static class ReportWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string ToJson(CohortReport report) => JsonSerializer.Serialize(report, Json);

    public static string ToText(CohortReport report)
    {
        var p = report.Parameters;
        var c = report.Composition;
        var t = report.Totals;
        var s = new StringBuilder();
        s.AppendLine(report.Notice);
        s.AppendLine(F($"Cohort: seed {p.Seed}, {c.Clients} clients ({c.Deteriorating} deteriorating, {c.Stable} stable, {c.Improving} improving), {p.Weeks} weeks from {p.Start:yyyy-MM-dd}, {p.SessionsPerWeek} sessions a week, {p.Counselors} counselors; alerts acknowledged after {p.AlertAcknowledgeDelayMinutes} min"));
        s.AppendLine(F($"Languages: {string.Join(", ", c.Languages.Select(kv => $"{kv.Key} {kv.Value}"))}. Signs: {Join(c.Signals)}. Confounders: {Join(c.Distractors)}"));
        s.AppendLine(F($"Played: {t.SessionsPlanned} sessions ({t.SessionsAttended} attended, {t.NoShows} no-shows, {t.Cancelled} cancelled), {t.ClientMessages} client and {t.CounselorMessages} counselor messages, {t.Assessments} assessments, {t.IsolationRecords} isolation records, {t.HubConnections} hub connections, {t.TriageReads} triage reads; set-up {t.SetupSeconds} s, simulation {t.SimulationSeconds} s"));
        s.AppendLine();
        s.AppendLine("Precision@10 of the triage queue against the known deteriorating clients (end of each simulated week):");
        s.AppendLine("(tie-aware: expected over every order of entries tied in score and reason count, reproducible from the seed; 'served' depends on the random order of ties)");
        s.AppendLine("week  queue  p@10 tie-aware  (best)  p@10 sign shown  (best)  p@10 served  top 10: det/stable/impr");
        foreach (var w in report.Weeks)
        {
            s.AppendLine(F($"{w.Week,4}  {w.QueueLength,5}  {w.TieAwarePrecisionAtTen,14:0.00}  ({w.BestPossible:0.00})  {w.TieAwarePrecisionAtTenSignShown,15:0.00}  ({w.BestPossibleSignShown:0.00})  {w.PrecisionAtTen,11:0.00}  {w.DeterioratingInTopTen:0.#}/{w.StableInTopTen:0.#}/{w.ImprovingInTopTen:0.#}"));
        }

        s.AppendLine();
        var d = report.DetectionSummary;
        s.AppendLine(F($"Time from first warning sign to the top 10 (whatever the order of ties): {d.Reached} of {d.Deteriorating} deteriorating clients reached it; median {Days(d.MedianDays)}, mean {Days(d.MeanDays)}, longest {Days(d.MaxDays)}; {d.InTopTenBeforeFirstSign} were in the top 10 before their first sign"));
        s.AppendLine("client                 lang  onset  first sign at      days  served  before  first signs / reasons at entry");
        foreach (var x in report.Detection)
        {
            s.AppendLine(F($"{x.Alias,-22} {x.Language,-4}  {x.OnsetWeek,5}  {x.FirstSignAt:MM-dd HH:mm} UTC  {Days(x.DaysToTopTen),6}  {Days(x.DaysToTopTenAsServed),6}  {(x.InTopTenBeforeFirstSign ? "yes" : "no"),6}  {string.Join("+", x.FirstSigns)} / {string.Join(",", x.ReasonsAtEntry)}"));
        }

        s.AppendLine("by first sign: " + string.Join("; ", report.ByFirstSign.Select(b => F($"{b.FirstSigns} {b.Reached}/{b.Clients}, median {Days(b.MedianDays)}"))));
        s.AppendLine();
        s.AppendLine("Top 10 at the end (share < 1: one of a tied group that shares the last places):");
        foreach (var m in report.FinalTopTen)
        {
            var labels = m.Trajectory is null ? "" : $"{m.Trajectory} {string.Join(",", m.Signals.Select(x => x.ToString()).Concat(m.Distractors.Select(x => x.ToString())))}";
            s.AppendLine(F($"  {m.Score,7:0.0}  {m.ShareOfTopTen,4:0.00}  {m.Alias,-22} {labels,-60} {string.Join(",", m.Reasons)}"));
        }

        var r = report.Detector;
        s.AppendLine();
        s.AppendLine(F($"Risk detector on the cohort's lines: risk messages alerted {r.RiskMessagesAlerted}/{r.RiskMessages} ({Join(r.RiskMessagesByLanguage)}), a stable client's bad day {r.TransientHopelessnessAlerted}/{r.TransientHopelessness}, negated phrases {r.NegatedPhrasesAlerted}/{r.NegatedPhrases}, neutral lines {r.NeutralMessagesAlerted}/{r.NeutralMessages}; escalated {r.AlertsEscalated}"));
        s.AppendLine(F($"Server log: {t.ServerWarnings} warnings, {t.ServerErrors} errors; queue entries outside the cohort: {t.QueueEntriesOutsideCohort}"));
        foreach (var (problem, count) in t.ServerProblems.OrderByDescending(kv => kv.Value))
        {
            s.AppendLine(F($"  {count} × {problem}"));
        }

        s.AppendLine("Wall-clock seconds by phase: " + string.Join(", ", t.PhaseSeconds.Select(kv => F($"{kv.Key} {kv.Value:0.0}"))));
        s.AppendLine(report.Mismatches.Count == 0
            ? "Server and plan agree (assessment totals, C-SSRS levels, Kato statuses, session outcomes, attendance counts)."
            : $"{report.Mismatches.Count} mismatches between server and plan:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", report.Mismatches.Take(30)));
        s.AppendLine("Reproduce: " + report.Command);
        return s.ToString();
    }

    /// <summary>The tables for docs/early-consultation.md.</summary>
    public static string ToMarkdown(CohortReport report)
    {
        var s = new StringBuilder();
        s.AppendLine("| week | queue length | p@10 (best possible) | p@10, sign shown (best possible) | top 10: deteriorating / stable / improving |");
        s.AppendLine("| ---: | ---: | ---: | ---: | :---: |");
        foreach (var w in report.Weeks)
        {
            s.AppendLine(F($"| {w.Week} | {w.QueueLength} | {w.TieAwarePrecisionAtTen:0.00} ({w.BestPossible:0.00}) | {w.TieAwarePrecisionAtTenSignShown:0.00} ({w.BestPossibleSignShown:0.00}) | {w.DeterioratingInTopTen:0.#} / {w.StableInTopTen:0.#} / {w.ImprovingInTopTen:0.#} |"));
        }

        s.AppendLine();
        s.AppendLine("| first warning sign | clients | reached top 10 | median days | longest days |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var b in report.ByFirstSign)
        {
            s.AppendLine(F($"| {b.FirstSigns} | {b.Clients} | {b.Reached} | {Days(b.MedianDays)} | {Days(b.MaxDays)} |"));
        }

        var d = report.DetectionSummary;
        s.AppendLine(F($"| **all** | {d.Deteriorating} | {d.Reached} | {Days(d.MedianDays)} | {Days(d.MaxDays)} |"));
        s.AppendLine();
        s.AppendLine("| client | language | onset week | signs | first sign(s) | days to top 10 | in top 10 before | reasons when it entered |");
        s.AppendLine("| --- | --- | ---: | --- | --- | ---: | :---: | --- |");
        foreach (var x in report.Detection)
        {
            s.AppendLine(F($"| {x.Alias} | {x.Language} | {x.OnsetWeek} | {string.Join(", ", x.Signals)} | {string.Join(" + ", x.FirstSigns)} | {Days(x.DaysToTopTen)} | {(x.InTopTenBeforeFirstSign ? "yes" : "no")} | {string.Join(", ", x.ReasonsAtEntry.Select(r => $"`{r}`"))} |"));
        }

        return s.ToString();
    }

    private static string Days(double? days) => days is null ? "never" : F($"{days:0.00}");

    private static string Join(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value}"));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
