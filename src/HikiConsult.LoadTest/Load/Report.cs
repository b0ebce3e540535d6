using System.Globalization;
using System.Text;

namespace HikiConsult.LoadTest.Load;

/// <summary>Prints phase results, the server-to-bare ratios and the issue's targets as a Markdown table.</summary>
public static class Report
{
    /// <summary>One line per phase and latency bucket: where in a phase the slow messages were sent.</summary>
    public static IEnumerable<string> TimelineCsv(IEnumerable<PhaseResult> results) =>
        results.SelectMany(r => r.Timeline.Select(b => Invariant($"{r.Target},{r.Phase},{b.OffsetSeconds:0.00},{b.Relayed},{b.P50Ms:0.000},{b.P99Ms:0.000},{b.MaxMs:0.000}")))
            .Prepend("target,phase,offsetSeconds,relayed,p50Ms,p99Ms,maxMs");

    public static string Table(IEnumerable<PhaseResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| target | phase | conns | sent/s | relayed/s | relay p50 | p90 | p99 | p99.9 | max | ack p50 | ack p99 | acked | lost | dup | errors | order | gaps | conns lost | drain s |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(Invariant(
                $"| {r.Target} | {r.Phase} | {r.Connections} | {r.SentPerSecond:0} | {r.RelayedPerSecond:0} | {Ms(r.Relay.P50Ms)} | {Ms(r.Relay.P90Ms)} | {Ms(r.Relay.P99Ms)} | {Ms(r.Relay.P999Ms)} | {Ms(r.Relay.MaxMs)} | {Ms(r.Ack.P50Ms)} | {Ms(r.Ack.P99Ms)} | {r.Acked} | {r.Lost} | {r.Duplicated} | {r.SendErrors} | {r.OrderViolations} | {r.SeqGaps} | {r.ConnectionsLost} | {r.DrainSeconds:0.0} |"));
        }

        return text.ToString();
    }

    /// <summary>
    /// Garbage collection and thread-pool work items per phase in the target's process (the server's or the bare
    /// relay's, from its <c>GET /api/runtime</c> before and after) and in this tool's process (the load clients, and
    /// the bare relay when it runs in-process): a pause in either stalls relayed messages.
    /// </summary>
    public static string RuntimeTable(IReadOnlyList<PhaseResult> results)
    {
        var rows = results
            .SelectMany(r => new[] { (r, Process: "load tool", Cost: r.ToolRuntime), (r, Process: r.Target, Cost: r.Runtime) })
            .Where(row => row.Cost is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine("Garbage collection and thread-pool work items during each phase (load and drain), per process; every connection of a process waits out its pauses, and each work item is a hand-off between threads (with `--bare-relay in-process` the bare relay runs in the load tool's process):");
        text.AppendLine();
        text.AppendLine("| target | phase | process | gen0 / gen1 / gen2 collections | one every | paused ms | mean pause ms | paused share | allocated per acked message | pool work items per acked message |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (r, process, cost) in rows)
        {
            text.AppendLine(Invariant(
                $"| {r.Target} | {r.Phase} | {process} | {cost!.Gen0} / {cost.Gen1} / {cost.Gen2} | {(cost.Collections > 0 ? $"{cost.SecondsBetweenCollections:0.00} s" : "–")} | {cost.PauseMs:0} | {cost.MeanPauseMs:0.0} | {cost.PauseShare:0.0%} | {cost.AllocatedBytesPer(r.Acked) / 1024:0.0} KB | {cost.PoolWorkItemsPer(r.Acked):0.0} |"));
        }

        return text.ToString();
    }

    /// <summary>
    /// CPU per acknowledged message, for the whole system under test: the load clients plus the target's process
    /// (the server's or the bare relay's; with the bare relay in-process, its CPU is in the tool's column). The
    /// implied ceiling is what the machine's cores would sustain if they did nothing else.
    /// </summary>
    public static string CpuTable(IReadOnlyList<PhaseResult> results)
    {
        // A database server in processes of its own (a cluster's PostgreSQL) has a column when it was watched.
        var database = results.Any(r => !double.IsNaN(r.Cpu.DatabaseMs));
        var text = new StringBuilder();
        text.AppendLine("CPU time per acknowledged message, in ms (each message is one send, one ack and two pushes):");
        text.AppendLine();
        text.AppendLine(database
            ? "| target | phase | load tool process | target process | database processes | total | cores busy | implied CPU-bound ceiling |"
            : "| target | phase | load tool process | target process | total | cores busy | implied CPU-bound ceiling |");
        text.AppendLine(database ? "|---|---|---:|---:|---:|---:|---:|---:|" : "|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results.Where(r => r.Acked > 0 && !double.IsNaN(r.Cpu.ToolMs)))
        {
            var total = r.Cpu.TotalMs / r.Acked;

            // Only a saturated phase says what a message costs; at a fixed rate idle work (pings, timers) is included.
            var ceiling = r.Phase.StartsWith("closed", StringComparison.Ordinal) ? Invariant($"{Environment.ProcessorCount * 1000 / total:0} msg/s") : "–";
            var databaseCell = database ? Invariant($" {Ms(r.Cpu.DatabaseMs / r.Acked)} |") : "";
            text.AppendLine(Invariant(
                $"| {r.Target} | {r.Phase} | {Ms(r.Cpu.ToolMs / r.Acked)} | {Ms(r.Cpu.TargetMs / r.Acked)} |{databaseCell} {Ms(total)} | {r.Cpu.CoresBusy:0.00} | {ceiling} |"));
        }

        return text.ToString();
    }

    /// <summary>
    /// Risk alerts per phase: how soon the alert for a risk message reached the session's counselor connection, and
    /// whether every risk message got exactly one alert and no other message got any. "n/a" for a target without
    /// risk detection.
    /// </summary>
    public static string AlertTable(IReadOnlyList<PhaseResult> results, double riskShare)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant(
            $"Risk alerts: {riskShare * 100:0.##} % of the client devices' messages in the server's open loop carry a risk phrase (en, ja, nl in turn; none in the closed loop). Latency from the Send call to the RiskAlert for that session and seq on the session's counselor connection, in ms, over the messages sent in the measured window; counts over the whole phase (expected = risk messages acknowledged; false = alerts for messages without a risk phrase):"));
        text.AppendLine();
        text.AppendLine("| target | phase | risk msgs | expected | received | missing | dup | false | alert p50 | p90 | p99 | max | ≤ 1 s |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(AlertRow(r));
        }

        return text.ToString();
    }

    /// <summary>One phase's row of <see cref="AlertTable"/>.</summary>
    public static string AlertRow(PhaseResult r)
    {
        if (r.Alerts is not { } a)
        {
            return $"| {r.Target} | {r.Phase} | n/a (no risk detection) | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |";
        }

        var within = a.InWindow == 0 ? "–" : Invariant($"{a.WithinSecond}/{a.InWindow}");
        return Invariant(
            $"| {r.Target} | {r.Phase} | {a.RiskSent} | {a.Expected} | {a.Received} | {a.Missing} | {a.Duplicates} | {a.FalseAlerts} | {Ms(a.Latency.P50Ms)} | {Ms(a.Latency.P90Ms)} | {Ms(a.Latency.P99Ms)} | {Ms(a.Latency.MaxMs)} | {within} |");
    }

    /// <summary>The issue's alert target (within 1 s, one per risk message, none for other text), checked against this run.</summary>
    public static string AlertVerdict(IReadOnlyList<PhaseResult> results, double riskShare)
    {
        var text = new StringBuilder();
        void Line(string what, bool? ok, string detail) =>
            text.AppendLine($"- {(ok is null ? "n/a " : ok.Value ? "PASS" : "FAIL")} {what}: {detail}");

        var measured = results.Where(r => r.Alerts is not null).ToList();
        if (measured.Count == 0)
        {
            if (results.Count > 0)
            {
                Line("alerts", null, "the bare relay has no risk detection");
            }

            return text.ToString();
        }

        var expected = measured.Sum(r => r.Alerts!.Expected);
        if (expected == 0)
        {
            var why = riskShare > 0 ? "no risk message was acknowledged" : "risk messages off (--risk-share 0)";
            Line("alerts: every risk message alerted within 1 s", null, why);
            Line("alerts: none missing", null, why);
        }
        else
        {
            var inWindow = measured.Sum(r => r.Alerts!.InWindow);
            var within = measured.Sum(r => r.Alerts!.WithinSecond);
            var latency = string.Join("; ", measured.Where(r => r.Alerts!.InWindow > 0).Select(r => Invariant(
                $"{r.Phase}: p50 {r.Alerts!.Latency.P50Ms:0.0} ms, p99 {r.Alerts.Latency.P99Ms:0.0} ms, max {r.Alerts.Latency.MaxMs:0.0} ms")));
            Line("alerts: every risk message alerted within 1 s", inWindow > 0 && within == inWindow,
                Invariant($"{within} of {inWindow} risk messages in the measured window alerted within 1 s ({(inWindow == 0 ? 0 : 100.0 * within / inWindow):0.0} %); {latency}"));
            var missing = measured.Sum(r => r.Alerts!.Missing);
            Line("alerts: none missing", missing == 0,
                Invariant($"{missing} of {expected} acknowledged risk messages without an alert after the drain"));
        }

        var duplicates = measured.Sum(r => r.Alerts!.Duplicates);
        Line("alerts: none duplicated", duplicates == 0, Invariant($"{duplicates} repeated alerts for one message"));
        var falseAlerts = measured.Sum(r => r.Alerts!.FalseAlerts);
        var earlier = measured.Sum(r => r.Alerts!.Earlier);
        var messages = measured.Sum(r => r.Acked);
        Line("alerts: 0 false alerts", falseAlerts == 0,
            Invariant($"{falseAlerts} alerts for messages without a risk phrase, over {messages} acknowledged messages{(earlier > 0 ? $" ({earlier} late alerts for an earlier phase's messages)" : "")}"));
        return text.ToString();
    }

    public static string Errors(IEnumerable<PhaseResult> results)
    {
        var text = new StringBuilder();
        foreach (var r in results.Where(r => r.ErrorKinds.Count > 0 || r.ReceivedWithoutAck > 0))
        {
            text.AppendLine(Invariant($"- {r.Target}, {r.Phase}: {string.Join("; ", r.ErrorKinds.Select(e => $"{e.Value} × {e.Key}"))}{(r.ReceivedWithoutAck > 0 ? $"; {r.ReceivedWithoutAck} relayed without an ack" : "")}"));
        }

        return text.ToString();
    }

    /// <summary>The issue's targets, checked against this run.</summary>
    public static string Verdict(PhaseResult? serverRate, PhaseResult? bareRate, PhaseResult? serverCeiling, PhaseResult? bareCeiling, double targetRate, int targetSessions)
    {
        var text = new StringBuilder();
        void Line(string what, bool? ok, string detail) =>
            text.AppendLine($"- {(ok is null ? "n/a " : ok.Value ? "PASS" : "FAIL")} {what}: {detail}");

        if (serverRate is not null)
        {
            Line("load", serverRate.Connections >= 2 * targetSessions && serverRate.SentPerSecond >= 0.95 * targetRate,
                Invariant($"{serverRate.Connections} connections, {serverRate.SentPerSecond:0} msg/s sent (target {2 * targetSessions} connections, {targetRate:0} msg/s)"));
            Line("nothing lost", serverRate.Lost == 0 && serverRate.SendErrors == 0 && serverRate.ConnectionsLost == 0,
                Invariant($"{serverRate.Lost} acknowledged but not relayed, {serverRate.SendErrors} send errors, {serverRate.Duplicated} duplicates, {serverRate.SeqGaps} seq gaps, {serverRate.ConnectionsLost} connections lost"));
            Line("p50 ≤ 2 ms", serverRate.Relay.P50Ms <= 2, Invariant($"{serverRate.Relay.P50Ms:0.00} ms"));
        }

        if (serverRate is not null && bareRate is not null)
        {
            var ratio = serverRate.Relay.P99Ms / bareRate.Relay.P99Ms;
            Line("p99 within 2× bare p99", ratio <= 2, Invariant($"{serverRate.Relay.P99Ms:0.00} ms vs {bareRate.Relay.P99Ms:0.00} ms = {ratio:0.00}×"));
        }

        if (serverCeiling is not null && bareCeiling is not null)
        {
            var ratio = serverCeiling.RelayedPerSecond / bareCeiling.RelayedPerSecond;
            Line("ceiling ≥ 0.5× bare", ratio >= 0.5, Invariant($"{serverCeiling.RelayedPerSecond:0} vs {bareCeiling.RelayedPerSecond:0} relayed msg/s = {ratio:0.00}×"));

            // The same comparison from CPU cost per message, which a busy machine disturbs much less.
            var serverCost = serverCeiling.Cpu.TotalMs / serverCeiling.Acked;
            var bareCost = bareCeiling.Cpu.TotalMs / bareCeiling.Acked;
            Line("ceiling by CPU cost ≥ 0.5× bare", bareCost / serverCost >= 0.5,
                Invariant($"{serverCost:0.000} vs {bareCost:0.000} ms CPU per message = {bareCost / serverCost:0.00}× the bare relay's throughput per core"));
        }

        return text.ToString();
    }

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 1 ? "0.000" : value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
