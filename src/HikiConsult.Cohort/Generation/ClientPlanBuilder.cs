namespace HikiConsult.Cohort.Generation;

/// <summary>
/// Builds one client's events week by week from its profile, with one random sequence: sessions first, then
/// self-reports, then isolation records (each in a file of its own). Their order of draws is part of the cohort a
/// seed gives.
/// </summary>
internal sealed partial class ClientPlanBuilder(CohortParameters p, LanguagePhrases phrases, ClientProfile profile)
{
    private readonly Random _rng = new(profile.Seed);
    private readonly List<PlannedAction> _actions = [];
    private readonly Dictionary<Signal, WarningSign> _signs = [];
    private readonly HashSet<Signal> _signals = [.. profile.Signals];
    private readonly HashSet<Distractor> _distractors = [.. profile.Distractors];

    private CohortModel Model => p.Model;

    private int Onset => profile.OnsetWeek ?? int.MaxValue;

    private DateOnly FirstMonday => DateOnly.FromDateTime(p.Start.UtcDateTime);

    public (PlannedClient Client, IReadOnlyList<PlannedAction> Actions) Build()
    {
        Sessions();
        SelfReports();
        IsolationRecords();

        // A sign that never showed within the horizon is not part of the truth.
        var shown = profile.Signals.Where(_signs.ContainsKey).ToArray();
        var client = new PlannedClient(
            profile.Index,
            $"Synthetic client {profile.Index + 1:000}",
            profile.Trajectory,
            profile.Language,
            profile.TimeZone,
            profile.Counselor,
            profile.OnsetWeek,
            shown,
            profile.Distractors,
            [.. _signs.Values.OrderBy(s => s.At).ThenBy(s => s.Signal)]);
        return (client, _actions);
    }

    private bool Has(Signal s) => _signals.Contains(s);

    private bool Has(Distractor d) => _distractors.Contains(d);

    /// <summary>Records the first time a sign the client has shows.</summary>
    private void Sign(Signal signal, DateTimeOffset at, string what)
    {
        if (Has(signal) && !_signs.ContainsKey(signal))
        {
            _signs[signal] = new WarningSign(signal, at, what);
        }
    }

    /// <summary>The instant of a local hour on a day of the simulated weeks, in the client's time zone.</summary>
    private DateTimeOffset At(int week, int weekday, int hour) =>
        LocalToUtc(FirstMonday.AddDays((7 * week) + weekday), hour, profile.TimeZone);

    private static DateTimeOffset LocalToUtc(DateOnly date, int hour, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = date.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Unspecified);

        // A local hour skipped by a daylight-saving change: the next one that exists.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
