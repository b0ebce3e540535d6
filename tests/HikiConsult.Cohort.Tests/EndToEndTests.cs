using HikiConsult.Cohort.Evaluation;
using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Tests;

/// <summary>
/// A small cohort played through the real server (child process, simulated clock, REST and hubs) so the harness
/// keeps working as the server changes. Asserts what must hold whatever the triage weights: the server ran on the
/// simulated clock, agreed with the plan, alerted on every risk line and on nothing else, and put every client whose
/// first warning sign was a risk message into the top ten at that very instant.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task A_small_cohort_runs_through_the_real_server_and_is_scored()
    {
        var parameters = CohortFiles.Small;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var run = await CohortRunner.RunAsync(parameters, CohortFiles.Phrases, "test", cancellationToken: timeout.Token);
        var report = run.Report;

        Assert.Empty(report.Mismatches);
        Assert.Equal(0, report.Totals.ServerErrors);
        Assert.Equal(0, report.Totals.QueueEntriesOutsideCohort);

        var sessions = run.Plan.Actions.OfType<PlannedSession>().ToArray();
        Assert.Equal(sessions.Count(s => s.Outcome == SessionOutcome.Attended), report.Totals.SessionsAttended);
        Assert.Equal(sessions.Sum(s => s.ClientMessages), report.Totals.ClientMessages);

        // Every simulated week was read, at its end, by the server's own (simulated) clock.
        Assert.Equal(Enumerable.Range(1, parameters.Weeks), report.Weeks.Select(w => w.Week));
        Assert.All(report.Weeks, w => Assert.Equal(parameters.Start.AddDays(7 * w.Week), w.At));
        Assert.All(report.Weeks, w => Assert.InRange(w.TieAwarePrecisionAtTen, 0, w.BestPossible));

        var detector = report.Detector;
        Assert.True(detector.RiskMessages > 0);
        Assert.Equal(detector.RiskMessages, detector.RiskMessagesAlerted);
        Assert.Equal(detector.TransientHopelessness, detector.TransientHopelessnessAlerted);
        Assert.Equal(0, detector.NegatedPhrasesAlerted);
        Assert.Equal(0, detector.NeutralMessagesAlerted);
        Assert.Equal(0, detector.AlertsEscalated);

        // Clients whose deterioration first showed as a risk message (possibly with other signs in the same session).
        var riskFirst = run.Plan.Clients
            .Where(c => c.WarningSigns.Any(w => w.Signal == Signal.RiskMessage && w.At == c.FirstWarningSign))
            .Select(c => report.Detection.Single(d => d.Alias == c.Alias))
            .ToArray();
        Assert.NotEmpty(riskFirst);
        Assert.All(riskFirst, d =>
        {
            Assert.Equal(d.FirstSignAt, d.FirstInTopTenAt);
            Assert.Contains(d.ReasonsAtEntry, r => r is "RISK_ALERT_HIGH" or "RISK_ALERT");
        });
    }
}
