namespace HikiConsult.Cohort.Generation;

/// <summary>
/// Turns parameters and a seed into a cohort of synthetic clients with known trajectories and the plan of every
/// event of the simulated weeks (sessions and their messages, self-reports, counselor screenings, isolation
/// records). Pure and deterministic: the same inputs give the same plan, in any process.
/// </summary>
public static class CohortGenerator
{
    public static CohortPlan Generate(CohortParameters parameters, PhraseBook phrases)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(phrases);
        var problems = parameters.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid cohort parameters: {string.Join("; ", problems)}.", nameof(parameters));
        }

        foreach (var language in parameters.Languages)
        {
            phrases.For(language.Language);
        }

        var profiles = ClientProfiles.Draw(parameters);
        var clients = new List<PlannedClient>(profiles.Count);
        var actions = new List<PlannedAction>();
        foreach (var profile in profiles)
        {
            var builder = new ClientPlanBuilder(parameters, phrases.For(profile.Language), profile);
            var (client, clientActions) = builder.Build();
            clients.Add(client);
            actions.AddRange(clientActions);
        }

        var ordered = actions.OrderBy(a => a.At).ThenBy(a => a.Client).ThenBy(Order).ToArray();
        return new CohortPlan(parameters, clients, ordered);
    }

    /// <summary>Within one instant and client: the isolation record, then the session, then self-reports.</summary>
    private static int Order(PlannedAction action) => action switch
    {
        PlannedIsolationRecord => 0,
        PlannedSession => 1,
        _ => 2,
    };
}
