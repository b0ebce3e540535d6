using System.Diagnostics;
using System.Globalization;
using HikiConsult.Domain.Risk;
using HikiConsult.Domain.Risk.Evaluation;

// dotnet run --project src/HikiConsult.RiskEval [-c Release] -- [--part dev|test|both] [--no-list] [--bench [seconds]] [--corpus DIR]
//                                                          | --inspect TEXT (every hit of one message, cancelled ones with their reason)
var part = "both";
var list = true;
double? benchSeconds = null;
var folder = RiskCorpus.DefaultFolder;
var shipped = RiskDetector.LoadShipped();
var lexiconsOnly = RiskDetector.LoadShippedLexiconsOnly();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--part": part = args[++i]; break;
        case "--no-list": list = false; break;
        case "--corpus": folder = args[++i]; break;
        case "--inspect":
            foreach (var m in shipped.Inspect(args[++i]))
            {
                Console.WriteLine($"{m.Pattern}\t{m.Level}\t{m.Category}\t\"{m.Evidence}\"{(m.Negated ? $"\tcancelled: {m.Reason} ({m.NegationCue})" : "")}");
            }
            return 0;
        case "--bench":
            benchSeconds = i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) ? s : 5;
            if (i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out _)) i++;
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

var parts = part == "both" ? new[] { RiskCorpus.Dev, RiskCorpus.Test } : [part];
Console.WriteLine("Risk detector evaluation (decision support, not a diagnosis; messages written by the project).");
Console.WriteLine();
Console.WriteLine("| part | language | messages | risk | paraphrases (no lexicon phrase) | hard negatives | ordinary |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var p in parts)
{
    foreach (var g in RiskCorpus.LoadPart(folder, p).GroupBy(e => e.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        var risk = g.Where(e => e.IsRisk).ToArray();
        var paraphrases = risk.Count(e => lexiconsOnly.Inspect(e.Text).Count == 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {p} | {g.Key} | {g.Count()} | {risk.Length} | {paraphrases} ({100.0 * paraphrases / risk.Length:0}%) | {g.Count(e => e.HardNegative is not null)} | {g.Count(e => !e.IsRisk && e.HardNegative is null)} |"));
    }
}
Console.WriteLine();
foreach (var p in parts)
{
    var entries = RiskCorpus.LoadPart(folder, p);
    Console.WriteLine(RiskEvaluation.Format(RiskEvaluation.Evaluate(shipped, entries, p), list));
    // The test part holds two series written at different times: each is reported on its own too, from the same run.
    foreach (var series in entries.GroupBy(e => e.Id.Contains(RiskCorpus.TestSeriesMarker, StringComparison.Ordinal) ? "series 2" : "series 1").Where(_ => p == RiskCorpus.Test).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        Console.WriteLine(RiskEvaluation.Format(RiskEvaluation.Evaluate(shipped, [.. series], $"{p}, {series.Key} only"), listErrors: false));
    }
    Console.WriteLine("Keyword lexicons alone, same part:");
    Console.WriteLine(RiskEvaluation.Format(RiskEvaluation.Evaluate(lexiconsOnly, entries, p + " (lexicon only)"), listErrors: false));
}

if (benchSeconds is { } seconds)
{
    var texts = parts.SelectMany(p => RiskCorpus.LoadPart(folder, p)).Select(e => e.Text).ToArray();
    Console.WriteLine($"Cost per message over {texts.Length} corpus messages, {seconds:0.#} s per detector after a warm-up, one thread:");
    // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours too.
    Console.WriteLine("| detector | messages/s (wall) | µs/message (wall) | CPU µs/message (process) | allocated bytes/message |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (name, detector) in new[] { ("keyword lexicons (before)", lexiconsOnly), ("lexicons + concepts (now)", shipped) })
    {
        foreach (var t in texts) detector.Detect(t);
        var count = 0L;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            foreach (var t in texts) detector.Detect(t);
            count += texts.Length;
        }
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {count / watch.Elapsed.TotalSeconds:N0} | {watch.Elapsed.TotalMicroseconds / count:0.0} | {cpu.TotalMicroseconds / count:0.0} | {allocated / count:N0} |"));
    }
}
return 0;
