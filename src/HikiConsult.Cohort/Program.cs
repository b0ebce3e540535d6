using System.Globalization;
using System.Text.Json;
using HikiConsult.Cohort;
using HikiConsult.Cohort.Evaluation;
using HikiConsult.Cohort.Generation;

// Synthetic cohort evaluation of the triage queue. See docs/early-consultation.md, "Evaluation".
const string Usage = """
    Usage: dotnet run --project src/HikiConsult.Cohort [-c Release] -- [options]
      --config PATH            cohort parameters (default: seeds/cohort/cohort.json)
      --phrases PATH           synthetic lines (default: seeds/cohort/phrases.json)
      --seed N                 random seed (default from the config)
      --weeks N  --sessions-per-week N  --counselors N  --concurrency N
      --deteriorating N  --stable N  --improving N
      --ack-delay-minutes N    when counselors acknowledge alerts after the message
      --out DIR                where report.json, report.txt, report.md and plan.json go (default: a new temp directory)
      --plan-only              write the plan and stop (no server)
      --keep-data              keep the server's data directory
      --server PATH            HikiConsult.Server.dll to run (default: the one built next to this tool)
    """;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    if (arg is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (arg is "--plan-only" or "--keep-data")
    {
        flags.Add(arg);
    }
    else if (arg.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[arg] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"Unknown argument '{arg}'.{Environment.NewLine}{Usage}");
        return 2;
    }
}

try
{
    var parameters = CohortParameters.Load(options.GetValueOrDefault("--config", CohortRunner.DefaultConfigPath));
    int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    parameters = parameters with
    {
        Seed = Int("--seed", parameters.Seed),
        Weeks = Int("--weeks", parameters.Weeks),
        SessionsPerWeek = Int("--sessions-per-week", parameters.SessionsPerWeek),
        Counselors = Int("--counselors", parameters.Counselors),
        Concurrency = Int("--concurrency", parameters.Concurrency),
        Deteriorating = Int("--deteriorating", parameters.Deteriorating),
        Stable = Int("--stable", parameters.Stable),
        Improving = Int("--improving", parameters.Improving),
        AlertAcknowledgeDelayMinutes = Int("--ack-delay-minutes", parameters.AlertAcknowledgeDelayMinutes),
    };
    var phrases = PhraseBook.Load(options.GetValueOrDefault("--phrases", CohortRunner.DefaultPhrasesPath));
    var command = "dotnet run --project src/HikiConsult.Cohort -c Release -- " + string.Join(' ', args.Contains("--seed") ? args : [.. args, "--seed", parameters.Seed.ToString(CultureInfo.InvariantCulture)]);
    var output = options.GetValueOrDefault("--out") ?? Directory.CreateTempSubdirectory($"hikiconsult-cohort-report-{parameters.Seed}-").FullName;
    Directory.CreateDirectory(output);

    if (flags.Contains("--plan-only"))
    {
        var plan = CohortGenerator.Generate(parameters, phrases);
        await File.WriteAllTextAsync(Path.Combine(output, "plan.json"), JsonSerializer.Serialize(plan, ReportWriter.Json));
        Console.WriteLine($"{plan.Clients.Count} synthetic clients, {plan.Actions.Count} planned events; plan written to {Path.Combine(output, "plan.json")}");
        return 0;
    }

    var run = await CohortRunner.RunAsync(parameters, phrases, command, Console.Error, options.GetValueOrDefault("--server"), flags.Contains("--keep-data"));
    await File.WriteAllTextAsync(Path.Combine(output, "plan.json"), JsonSerializer.Serialize(run.Plan, ReportWriter.Json));
    await File.WriteAllTextAsync(Path.Combine(output, "report.json"), ReportWriter.ToJson(run.Report));
    var text = ReportWriter.ToText(run.Report);
    await File.WriteAllTextAsync(Path.Combine(output, "report.txt"), text);
    await File.WriteAllTextAsync(Path.Combine(output, "report.md"), ReportWriter.ToMarkdown(run.Report));
    Console.WriteLine(text);
    Console.WriteLine($"Report files in {output}{(run.DataDirectory is null ? "" : $"; server data kept in {run.DataDirectory}")}");
    return run.Report.Mismatches.Count == 0 ? 0 : 1;
}
catch (Exception ex) when (ex is IOException or JsonException or FormatException or ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"Cannot run the cohort: {ex.Message}");
    return 2;
}
