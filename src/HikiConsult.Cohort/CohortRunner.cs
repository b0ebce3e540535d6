using HikiConsult.Cohort.Driving;
using HikiConsult.Cohort.Evaluation;
using HikiConsult.Cohort.Generation;
using HikiConsult.Cohort.Hosting;

namespace HikiConsult.Cohort;

/// <summary>One evaluation run: generate the plan, start the real server on a fresh data directory with its clock at the plan's set-up instant, play the plan, score it.</summary>
public static class CohortRunner
{
    /// <summary>
    /// Configuration the run passes to the server. Only limits meant for people are raised (one harness plays every
    /// counselor and device from one address at machine speed); nothing that triage, alerts or analytics read is touched.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServerSettings = new Dictionary<string, string>
    {
        ["Auth:LoginPermitLimit"] = "1000000",
        ["Auth:PairingPermitLimit"] = "1000000",
        // Token lifetimes are checked against the server's (here simulated) clock, which jumps by hours between
        // events: a sign-in lasts the run, as it did when tokens were checked against the wall clock.
        ["Auth:StaffTokenLifetime"] = "365.00:00:00",
        ["Auth:RefreshTokenLifetime"] = "365.00:00:00",
        ["Hubs:SendBurst"] = "1000000",
        ["Hubs:SendPerSecond"] = "1000000",
        ["Hubs:JoinBurst"] = "1000000",
        ["Hubs:JoinPerSecond"] = "1000000",
        ["Hubs:MaxConnectionsPerPrincipal"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static string DefaultConfigPath => Path.Combine(AppContext.BaseDirectory, "seeds", "cohort", "cohort.json");

    public static string DefaultPhrasesPath => Path.Combine(AppContext.BaseDirectory, "seeds", "cohort", "phrases.json");

    public static async Task<CohortRun> RunAsync(
        CohortParameters parameters,
        PhraseBook phrases,
        string command,
        TextWriter? progress = null,
        string? serverAssemblyPath = null,
        bool keepData = false,
        CancellationToken cancellationToken = default)
    {
        var plan = CohortGenerator.Generate(parameters, phrases);
        var data = Directory.CreateTempSubdirectory("hikiconsult-cohort-").FullName;
        try
        {
            progress?.WriteLine($"Starting the server (data {data}, simulated clock at {plan.SetupAt:O})");
            RunRecord run;
            await using (var server = await SimulatedServer.StartAsync(data, plan.SetupAt, ServerSettings, serverAssemblyPath, cancellationToken))
            {
                progress?.WriteLine($"Server at {server.BaseAddress}; playing {plan.Actions.Count} planned events for {plan.Clients.Count} clients over {parameters.Weeks} weeks");
                try
                {
                    run = await CohortDriver.RunAsync(plan, server, progress, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}Last server output:{Environment.NewLine}{server.RecentOutput}", ex);
                }
            }

            return new CohortRun(plan, run, CohortReport.Build(plan, run, command), keepData ? data : null);
        }
        finally
        {
            if (!keepData)
            {
                TryDelete(data);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying server: the temporary directory is cleaned by the OS later.
        }
    }
}

public sealed record CohortRun(CohortPlan Plan, RunRecord Record, CohortReport Report, string? DataDirectory);
