using System.Security.Cryptography;
using System.Text.Json;
using HikiConsult.Cohort.Evaluation;
using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Tests;

public sealed class GeneratorTests
{
    private static string Json(CohortPlan plan) => JsonSerializer.Serialize(plan, ReportWriter.Json);

    [Fact]
    public void The_same_seed_gives_the_same_plan_and_another_seed_another()
    {
        var parameters = CohortFiles.Parameters;
        var phrases = CohortFiles.Phrases;

        var first = Json(CohortGenerator.Generate(parameters, phrases));
        var again = Json(CohortGenerator.Generate(parameters, phrases));
        var other = Json(CohortGenerator.Generate(parameters with { Seed = parameters.Seed + 1 }, phrases));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    /// <summary>
    /// The shipped cohort (seeds/cohort) pinned by a digest of its clients and events, so that reshaping the generator
    /// cannot change it unnoticed. Change the digest only with a deliberate change of the model, and say so in the commit.
    /// </summary>
    [Fact]
    public void The_shipped_cohort_is_the_one_its_seed_has_always_given()
    {
        var plan = CohortGenerator.Generate(CohortFiles.Parameters, CohortFiles.Phrases);
        var cohort = JsonSerializer.SerializeToUtf8Bytes(new { plan.Clients, plan.Actions }, ReportWriter.Json);

        Assert.Equal("b83ad198fb5681eb2bb4643404dce8434396ebdc72747097d1ca84ccf0b70144", Convert.ToHexStringLower(SHA256.HashData(cohort)));
    }

    [Fact]
    public void The_default_cohort_has_the_configured_trajectories_and_every_kind_of_sign_and_confounder()
    {
        var p = CohortFiles.Parameters;
        var plan = CohortGenerator.Generate(p, CohortFiles.Phrases);

        Assert.Equal(p.Deteriorating, plan.Clients.Count(c => c.Trajectory == Trajectory.Deteriorating));
        Assert.Equal(p.Stable, plan.Clients.Count(c => c.Trajectory == Trajectory.Stable));
        Assert.Equal(p.Improving, plan.Clients.Count(c => c.Trajectory == Trajectory.Improving));
        Assert.All(Enum.GetValues<Signal>(), s => Assert.Contains(plan.Clients, c => c.Signals.Contains(s)));
        Assert.All(Enum.GetValues<Distractor>(), d => Assert.Contains(plan.Clients, c => c.Distractors.Contains(d)));
        Assert.Equal(plan.Clients.Count, plan.Clients.Select(c => c.Alias).Distinct().Count());
        Assert.DoesNotContain(plan.Clients, c => c.Alias.Contains(c.Trajectory.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_deteriorating_client_shows_a_sign_after_its_onset_and_no_other_client_has_one()
    {
        var p = CohortFiles.Parameters;
        var plan = CohortGenerator.Generate(p, CohortFiles.Phrases);

        foreach (var client in plan.Clients)
        {
            if (client.Trajectory == Trajectory.Deteriorating)
            {
                Assert.NotEmpty(client.WarningSigns);
                Assert.Equal(client.Signals.Order(), client.WarningSigns.Select(w => w.Signal).Order());
                Assert.All(client.WarningSigns, w => Assert.True(w.At >= p.Start.AddDays(7 * client.OnsetWeek!.Value) - TimeSpan.FromDays(1), $"{client.Alias}: {w.Signal} at {w.At:O}"));
            }
            else
            {
                Assert.Empty(client.WarningSigns);
                Assert.Null(client.OnsetWeek);
            }
        }
    }

    [Fact]
    public void Risk_lines_come_only_from_deteriorating_clients_and_in_each_of_their_languages()
    {
        var plan = CohortGenerator.Generate(CohortFiles.Parameters, CohortFiles.Phrases);
        var sessions = plan.Actions.OfType<PlannedSession>().ToArray();
        var risky = sessions.Where(s => s.Messages.Any(m => m.Kind == MessageKind.Risk)).ToArray();

        Assert.All(risky, s => Assert.Equal(Trajectory.Deteriorating, plan.Clients[s.Client].Trajectory));
        Assert.All(risky, s => Assert.Equal(SessionOutcome.Attended, s.Outcome));
        Assert.All(risky, s => Assert.Equal(InstrumentAnswers.CssrsScreener, s.CounselorScreener?.Instrument));
        var languages = plan.Clients.Where(c => c.Trajectory == Trajectory.Deteriorating).Select(c => c.Language).Distinct().Order();
        Assert.Equal(languages, risky.Select(s => plan.Clients[s.Client].Language).Distinct().Order());
        Assert.DoesNotContain(sessions, s => s.Outcome != SessionOutcome.Attended && s.Messages.Count > 0);
    }

    [Fact]
    public void Every_event_lies_between_set_up_and_the_end_and_answers_add_up_to_the_planned_totals()
    {
        var plan = CohortGenerator.Generate(CohortFiles.Parameters, CohortFiles.Phrases);

        Assert.All(plan.Actions, a => Assert.InRange(a.At, plan.SetupAt.AddDays(1), plan.End));
        foreach (var a in plan.Actions.OfType<PlannedAssessment>().Where(a => a.Instrument == InstrumentAnswers.Hq25))
        {
            Assert.Equal(25, a.Answers.Count);
            Assert.All(a.Answers, x => Assert.InRange(x!.Value, 0, 4));
            var total = a.Answers.Select((x, i) => InstrumentAnswers.Hq25ReverseItems.Contains(i + 1) ? 4 - x!.Value : x!.Value).Sum();
            Assert.Equal(a.ExpectedTotal, total);
        }

        foreach (var a in plan.Actions.OfType<PlannedAssessment>().Where(a => a.Instrument == InstrumentAnswers.Phq9))
        {
            Assert.Equal(9, a.Answers.Count);
            Assert.All(a.Answers, x => Assert.InRange(x!.Value, 0, 3));
            Assert.Equal(a.ExpectedTotal, a.Answers.Sum());
        }
    }

    [Fact]
    public void Kato_progression_goes_from_pre_hikikomori_to_hikikomori_and_improving_clients_stop_meeting_the_criteria()
    {
        var plan = CohortGenerator.Generate(CohortFiles.Parameters, CohortFiles.Phrases);
        var records = plan.Actions.OfType<PlannedIsolationRecord>().ToLookup(r => r.Client);

        foreach (var client in plan.Clients)
        {
            var statuses = records[client.Index].OrderBy(r => r.At).Select(r => r.ExpectedStatus).ToArray();
            if (client.Signals.Contains(Signal.KatoProgression))
            {
                Assert.Equal("preHikikomori", statuses[0]);
                Assert.Equal("hikikomori", statuses[^1]);
            }
            else if (client.Trajectory == Trajectory.Improving)
            {
                Assert.Equal("hikikomori", statuses[0]);
                Assert.Equal("notMet", statuses[^1]);
            }
            else if (client.Distractors.Contains(Distractor.StablePreHikikomori))
            {
                Assert.All(statuses, s => Assert.Equal("preHikikomori", s));
            }
        }
    }

    [Fact]
    public void Invalid_parameters_are_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CohortGenerator.Generate(CohortFiles.Parameters with { Start = new DateTimeOffset(2030, 1, 8, 0, 0, 0, TimeSpan.Zero), Deteriorating = 0 }, CohortFiles.Phrases));

        Assert.Contains("Monday", error.Message, StringComparison.Ordinal);
        Assert.Contains("deteriorating", error.Message, StringComparison.Ordinal);
    }
}
