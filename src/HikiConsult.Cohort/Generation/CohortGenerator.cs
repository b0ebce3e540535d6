namespace HikiConsult.Cohort.Generation;

/// <summary>
/// Turns parameters and a seed into a cohort of synthetic clients with known trajectories and the plan of every
/// event of the simulated weeks (sessions and their messages, self-reports, counselor screenings, isolation
/// records). Pure and deterministic: the same inputs give the same plan, in any process.
/// </summary>
public static class CohortGenerator
{
    public const string Hq25 = "hq25";
    public const string Phq9 = "phq9";
    public const string CssrsScreener = "cssrs-screener";

    /// <summary>Who completed an assessment, as the API takes it (completedBy).</summary>
    public const string ByClient = "client";
    public const string ByCounselor = "counselor";

    /// <summary>HQ-25 items scored 4 − answer (Teo et al. 2018; see clinical.md and hq25.json).</summary>
    public static readonly IReadOnlySet<int> Hq25ReverseItems = new HashSet<int> { 4, 7, 10, 15, 21, 25 };

    private const int SelfReportHour = 20;
    private const int IsolationRecordHour = 11;

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

        var profiles = Profiles(parameters);
        EnsureRiskLanguages(profiles);

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

    /// <summary>Who each client is: trajectory, language, time zone, counselor, and which signs or confounders it has.</summary>
    private static List<ClientProfile> Profiles(CohortParameters p)
    {
        var master = new Random(p.Seed);
        var trajectories = Enumerable.Repeat(Trajectory.Deteriorating, p.Deteriorating)
            .Concat(Enumerable.Repeat(Trajectory.Stable, p.Stable))
            .Concat(Enumerable.Repeat(Trajectory.Improving, p.Improving))
            .ToArray();
        master.Shuffle(trajectories);

        // Languages by their shares within each trajectory (largest remainder, every language at least once where the
        // numbers allow), so each trajectory is seen in every language: the detector and analytics are per language.
        var languages = new Dictionary<Trajectory, Queue<LanguageShare>>();
        foreach (var trajectory in Enum.GetValues<Trajectory>())
        {
            var pool = LanguageQuota(p.Languages, trajectories.Count(t => t == trajectory)).ToArray();
            master.Shuffle(pool);
            languages[trajectory] = new Queue<LanguageShare>(pool);
        }

        var profiles = new List<ClientProfile>(trajectories.Length);
        for (var index = 0; index < trajectories.Length; index++)
        {
            var trajectory = trajectories[index];
            var rng = new Random(ClientSeed(p.Seed, index));
            var language = languages[trajectory].Dequeue();
            var timeZone = language.TimeZones[rng.Next(language.TimeZones.Count)];
            var signals = new List<Signal>();
            var distractors = new List<Distractor>();
            int? onset = null;
            var maxOnset = Math.Min(p.OnsetWeek.Max, p.Weeks - 1);
            switch (trajectory)
            {
                case Trajectory.Deteriorating:
                    onset = rng.Next(Math.Min(p.OnsetWeek.Min, maxOnset), maxOnset + 1);
                    var sp = p.SignalProbabilities;
                    Maybe(rng, sp.FallingEngagement, () => signals.Add(Signal.FallingEngagement));
                    Maybe(rng, sp.NoShowStreak, () => signals.Add(Signal.NoShowStreak));
                    Maybe(rng, sp.NightDrift, () => signals.Add(Signal.NightDrift));
                    Maybe(rng, sp.RisingHq25, () => signals.Add(Signal.RisingHq25));
                    Maybe(rng, sp.Phq9Item9, () => signals.Add(Signal.Phq9Item9));
                    Maybe(rng, sp.RiskMessage, () => signals.Add(Signal.RiskMessage));
                    Maybe(rng, sp.KatoProgression, () => signals.Add(Signal.KatoProgression));
                    if (signals.Count == 0)
                    {
                        signals.Add(Signal.FallingEngagement);
                    }

                    break;
                case Trajectory.Stable:
                    var sd = p.DistractorProbabilities;
                    Maybe(rng, sd.NightOwl, () => distractors.Add(Distractor.NightOwl));
                    Maybe(rng, sd.StablePreHikikomori, () => distractors.Add(Distractor.StablePreHikikomori));
                    Maybe(rng, sd.NegatedRiskPhrase, () => distractors.Add(Distractor.NegatedRiskPhrase));
                    Maybe(rng, sd.TransientHopelessness, () => distractors.Add(Distractor.TransientHopelessness));
                    Maybe(rng, sd.TransientPhq9Item9, () => distractors.Add(Distractor.TransientPhq9Item9));
                    break;
                case Trajectory.Improving:
                    var id = p.DistractorProbabilities;
                    Maybe(rng, id.EarlyNoShows, () => distractors.Add(Distractor.EarlyNoShows));
                    Maybe(rng, id.EarlyPhq9Item9, () => distractors.Add(Distractor.EarlyPhq9Item9));
                    Maybe(rng, id.NegatedRiskPhrase, () => distractors.Add(Distractor.NegatedRiskPhrase));
                    break;
            }

            profiles.Add(new ClientProfile(index, trajectory, language.Language, timeZone, index % p.Counselors, onset, signals, distractors, ClientSeed(p.Seed, index) ^ 0x5bd1e995));
        }

        return profiles;
    }

    private static IEnumerable<LanguageShare> LanguageQuota(IReadOnlyList<LanguageShare> shares, int count)
    {
        var total = shares.Sum(l => l.Weight);
        var quota = shares.Select(l => count * l.Weight / total).ToArray();
        var counts = quota.Select(q => (int)Math.Floor(q)).ToArray();
        if (count >= shares.Count)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Math.Max(1, counts[i]);
            }
        }

        // Hand out what is left by the largest remainder; take back from the largest share if the minimum overshot.
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => quota[i] - Math.Floor(quota[i])).ThenBy(i => i))
        {
            if (counts.Sum() >= count)
            {
                break;
            }

            counts[i]++;
        }

        while (counts.Sum() > count)
        {
            counts[Array.IndexOf(counts, counts.Max())]--;
        }

        return shares.SelectMany((l, i) => Enumerable.Repeat(l, counts[i]));
    }

    /// <summary>Risk messages in every language the deteriorating clients speak: one client per missing language gets one.</summary>
    private static void EnsureRiskLanguages(List<ClientProfile> profiles)
    {
        foreach (var language in profiles.Where(c => c.Trajectory == Trajectory.Deteriorating).Select(c => c.Language).Distinct().Order(StringComparer.Ordinal).ToArray())
        {
            var speakers = profiles.Where(c => c.Trajectory == Trajectory.Deteriorating && c.Language == language).ToArray();
            if (!speakers.Any(c => c.Signals.Contains(Signal.RiskMessage)))
            {
                speakers[0].Signals.Add(Signal.RiskMessage);
            }
        }
    }

    private static void Maybe(Random rng, double probability, Action then)
    {
        if (rng.NextDouble() < probability)
        {
            then();
        }
    }

    private static int ClientSeed(int seed, int index) => unchecked((seed * 7919) + (index * 104729) + 17);

    /// <summary>Spreads <paramref name="total"/> points over <paramref name="items"/> items of at most <paramref name="max"/> each.</summary>
    internal static int[] Distribute(Random rng, int total, int items, int max)
    {
        total = Math.Clamp(total, 0, items * max);
        var scores = new int[items];
        for (var point = 0; point < total; point++)
        {
            int item;
            do
            {
                item = rng.Next(items);
            }
            while (scores[item] >= max);
            scores[item]++;
        }

        return scores;
    }

    /// <summary>HQ-25 answers (0-4 per item, reverse items answered 4 − score) whose total is <paramref name="total"/>.</summary>
    internal static int?[] Hq25Answers(Random rng, int total)
    {
        var scores = Distribute(rng, total, 25, 4);
        return [.. scores.Select((score, i) => (int?)(Hq25ReverseItems.Contains(i + 1) ? 4 - score : score))];
    }

    /// <summary>PHQ-9 answers with items 1-8 adding up to <paramref name="firstEight"/> and item 9 as given.</summary>
    internal static int?[] Phq9Answers(Random rng, int firstEight, int item9) =>
        [.. Distribute(rng, firstEight, 8, 3).Select(s => (int?)s), item9];

    /// <summary>C-SSRS screener answers for a level (Q3-Q5 left out unless Q2 is yes; Q6 no behaviour).</summary>
    internal static int?[] CssrsAnswers(string level) => level switch
    {
        "high" => [1, 1, 1, 1, 0, 0],
        "moderate" => [1, 1, 1, 0, 0, 0],
        "low" => [1, 0, null, null, null, 0],
        _ => [0, 0, null, null, null, 0],
    };

    /// <summary>The Kato 2020 status the criteria give (clinical.md): what the server's classifier should answer.</summary>
    internal static string KatoStatus(double months, int daysOut, bool impairment) =>
        daysOut >= 4 || !impairment || months < 3 ? "notMet" : months < 6 ? "preHikikomori" : "hikikomori";

    internal static DateTimeOffset LocalToUtc(DateOnly date, int hour, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = date.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    internal sealed record ClientProfile(
        int Index,
        Trajectory Trajectory,
        string Language,
        string TimeZone,
        int Counselor,
        int? OnsetWeek,
        List<Signal> Signals,
        List<Distractor> Distractors,
        int Seed);

    /// <summary>Builds one client's events week by week.</summary>
    private sealed class ClientPlanBuilder(CohortParameters p, LanguagePhrases phrases, ClientProfile profile)
    {
        private readonly Random _rng = new(profile.Seed);
        private readonly List<PlannedAction> _actions = [];
        private readonly Dictionary<Signal, WarningSign> _signs = [];
        private readonly HashSet<Signal> _signals = [.. profile.Signals];
        private readonly HashSet<Distractor> _distractors = [.. profile.Distractors];

        private bool Has(Signal s) => _signals.Contains(s);

        private bool Has(Distractor d) => _distractors.Contains(d);

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

        private void Sign(Signal signal, DateTimeOffset at, string what)
        {
            if (Has(signal) && !_signs.ContainsKey(signal))
            {
                _signs[signal] = new WarningSign(signal, at, what);
            }
        }

        // ---- Sessions ----

        private sealed class Draft
        {
            public required int Week { get; init; }
            public required DateTimeOffset At { get; init; }
            public required bool AtNight { get; init; }
            public required SessionOutcome Outcome { get; set; }
            public required int ClientMessages { get; init; }
            public List<PlannedMessage> Specials { get; } = [];
            public PlannedAssessment? Screener { get; set; }
        }

        private void Sessions()
        {
            var days = SessionDays();
            var dayHour = 10 + _rng.Next(10);
            var nightOwlHour = 1 + _rng.Next(2);
            var baseMessages = profile.Trajectory == Trajectory.Improving ? 2 + _rng.Next(3) : 4 + _rng.Next(5);
            var drafts = new List<Draft>();
            for (var week = 0; week < p.Weeks; week++)
            {
                foreach (var day in days)
                {
                    var night = Has(Distractor.NightOwl)
                        || (Has(Signal.NightDrift) && week >= Onset && _rng.NextDouble() < Math.Min(1, 0.5 + (0.25 * (week - Onset))));
                    var hour = Has(Distractor.NightOwl) ? nightOwlHour : night ? 1 + _rng.Next(3) : dayHour;
                    var at = LocalToUtc(FirstMonday.AddDays((7 * week) + day), hour, profile.TimeZone);
                    drafts.Add(new Draft
                    {
                        Week = week,
                        At = at,
                        AtNight = night,
                        Outcome = UsualOutcome(week),
                        ClientMessages = MessagesFor(week, baseMessages),
                    });
                }
            }

            PlanStreaks(drafts);
            PlaceSpecialMessages(drafts);

            foreach (var draft in drafts)
            {
                var messages = draft.Outcome == SessionOutcome.Attended ? Compose(draft) : [];
                _actions.Add(new PlannedSession(draft.At, profile.Index, draft.Outcome, draft.AtNight, messages, draft.Outcome == SessionOutcome.Attended ? draft.Screener : null));
                if (draft.Outcome != SessionOutcome.Attended)
                {
                    continue;
                }

                if (draft.AtNight && draft.Week >= Onset)
                {
                    Sign(Signal.NightDrift, draft.At, $"first session at night (local {TimeZoneInfo.ConvertTime(draft.At, TimeZoneInfo.FindSystemTimeZoneById(profile.TimeZone)):HH:mm})");
                }

                if (draft.Week >= Onset && draft.ClientMessages < baseMessages)
                {
                    Sign(Signal.FallingEngagement, draft.At, $"{draft.ClientMessages} messages in a session (usually {baseMessages})");
                }
            }
        }

        /// <summary>Weekdays (0 = Monday) of the sessions, spread over the week.</summary>
        private int[] SessionDays() => p.SessionsPerWeek switch
        {
            1 => [_rng.Next(5)],
            2 => _rng.Next(3) switch { 0 => [0, 3], 1 => [1, 4], _ => [2, 5] },
            _ => _rng.Next(2) == 0 ? [0, 2, 4] : [1, 3, 5],
        };

        private SessionOutcome UsualOutcome(int week)
        {
            var roll = _rng.NextDouble();
            var missed = profile.Trajectory == Trajectory.Deteriorating && week >= Onset && !Has(Signal.NoShowStreak)
                ? p.MissedSessionProbability * 1.5
                : profile.Trajectory == Trajectory.Improving ? p.MissedSessionProbability / 2 : p.MissedSessionProbability;
            return roll < p.CancelledSessionProbability ? SessionOutcome.Cancelled
                : roll < p.CancelledSessionProbability + missed ? SessionOutcome.NoShow
                : SessionOutcome.Attended;
        }

        private int MessagesFor(int week, int baseMessages)
        {
            if (profile.Trajectory == Trajectory.Improving)
            {
                return Math.Min(8, baseMessages + week);
            }

            if (Has(Signal.FallingEngagement) && week >= Onset)
            {
                return Math.Max(1, (int)Math.Round(baseMessages * Math.Pow(0.55, week - Onset + 1)));
            }

            return Math.Max(2, baseMessages + _rng.Next(-1, 2));
        }

        private void PlanStreaks(List<Draft> drafts)
        {
            if (Has(Distractor.EarlyNoShows))
            {
                foreach (var draft in drafts.Take(2))
                {
                    draft.Outcome = SessionOutcome.NoShow;
                }
            }

            if (!Has(Signal.NoShowStreak))
            {
                return;
            }

            var first = drafts.FindIndex(d => d.Week >= Onset);
            if (first < 0)
            {
                return;
            }

            var start = Math.Min(drafts.Count - 1, first + _rng.Next(p.SessionsPerWeek + 1));
            var length = 3 + _rng.Next(3);
            for (var i = start; i < drafts.Count; i++)
            {
                drafts[i].Outcome = i < start + length ? SessionOutcome.NoShow
                    : _rng.NextDouble() < 0.6 ? SessionOutcome.Attended : SessionOutcome.NoShow;
            }

            Sign(Signal.NoShowStreak, drafts[start].At, $"first of {Math.Min(length, drafts.Count - start)} missed sessions in a row");
        }

        private void PlaceSpecialMessages(List<Draft> drafts)
        {
            var attended = drafts.Where(d => d.Outcome == SessionOutcome.Attended).ToList();
            if (attended.Count == 0)
            {
                return;
            }

            if (Has(Signal.RiskMessage))
            {
                var riskWeek = Onset + _rng.Next(2);
                var session = attended.FirstOrDefault(d => d.Week >= riskWeek) ?? attended.FirstOrDefault(d => d.Week >= Onset);
                if (session is not null)
                {
                    var phrase = phrases.Risk[_rng.Next(phrases.Risk.Count)];
                    session.Specials.Add(new PlannedMessage(MessageKind.Risk, phrase.Text, phrase.Category));
                    var roll = _rng.NextDouble();
                    var level = roll < 0.35 ? "low" : roll < 0.8 ? "moderate" : "high";
                    session.Screener = new PlannedAssessment(session.At, profile.Index, CssrsScreener, CssrsAnswers(level), ByCounselor, null, level);
                    Sign(Signal.RiskMessage, session.At, $"risk message ({phrase.Category}); C-SSRS screener {level}");
                }
            }

            if (Has(Distractor.NegatedRiskPhrase))
            {
                var session = attended[_rng.Next(attended.Count)];
                session.Specials.Add(new PlannedMessage(MessageKind.Negated, phrases.Negated[_rng.Next(phrases.Negated.Count)]));
            }

            if (Has(Distractor.TransientHopelessness))
            {
                var session = attended[_rng.Next(attended.Count)];
                session.Specials.Add(new PlannedMessage(MessageKind.TransientHopelessness, phrases.TransientHopelessness[_rng.Next(phrases.TransientHopelessness.Count)], "hopelessness"));
                session.Screener ??= new PlannedAssessment(session.At, profile.Index, CssrsScreener, CssrsAnswers("none"), ByCounselor, null, "none");
            }
        }

        /// <summary>Counselor and client take turns; special lines replace neutral ones at random places (never the first).</summary>
        private List<PlannedMessage> Compose(Draft draft)
        {
            var count = Math.Max(draft.ClientMessages, draft.Specials.Count);
            var lines = new List<PlannedMessage>(count);
            for (var i = 0; i < count; i++)
            {
                lines.Add(new PlannedMessage(MessageKind.Neutral, phrases.Neutral[_rng.Next(phrases.Neutral.Count)]));
            }

            // Not as the very first line when there is room: a client rarely opens with it.
            var places = Enumerable.Range(count > draft.Specials.Count ? 1 : 0, count > draft.Specials.Count ? count - 1 : count).ToArray();
            _rng.Shuffle(places);
            for (var i = 0; i < draft.Specials.Count; i++)
            {
                lines[places[i]] = draft.Specials[i];
            }

            var messages = new List<PlannedMessage>((2 * count) + 1);
            foreach (var line in lines)
            {
                messages.Add(new PlannedMessage(MessageKind.Counselor, phrases.Counselor[_rng.Next(phrases.Counselor.Count - 1)]));
                messages.Add(line);
            }

            messages.Add(new PlannedMessage(MessageKind.Counselor, phrases.Counselor[^1]));
            return messages;
        }

        // ---- Self-reports ----

        private void SelfReports()
        {
            var phqBase = profile.Trajectory == Trajectory.Improving ? 12 + _rng.Next(5) : 6 + _rng.Next(7);
            var hqBase = profile.Trajectory switch
            {
                Trajectory.Improving => 48 + _rng.Next(15),
                Trajectory.Stable when Has(Distractor.StablePreHikikomori) => 36 + _rng.Next(11),
                Trajectory.Deteriorating when Has(Signal.KatoProgression) => 36 + _rng.Next(9),
                _ => 44 + _rng.Next(13),
            };
            var transientPhqAt = _rng.Next(Math.Max(1, (p.Weeks + 1) / 2)) * 2;
            var phq = phqBase;
            var hq = hqBase;
            var phqAfterOnset = 0;
            for (var week = 0; week < p.Weeks; week++)
            {
                var at = LocalToUtc(FirstMonday.AddDays(7 * week), SelfReportHour, profile.TimeZone);
                if (week % 2 == 0)
                {
                    var item9 = 0;
                    if (week > 0)
                    {
                        phq = profile.Trajectory switch
                        {
                            Trajectory.Improving => Math.Max(2, phq - 2 - _rng.Next(2)),
                            Trajectory.Deteriorating when week >= Onset => Math.Min(24, phq + 2 + _rng.Next(2)),
                            _ => Math.Clamp(phqBase + _rng.Next(-2, 3), 0, 24),
                        };
                    }

                    if (profile.Trajectory == Trajectory.Deteriorating && Has(Signal.Phq9Item9) && week >= Onset)
                    {
                        item9 = phqAfterOnset++ == 0 ? 1 : 2;
                        Sign(Signal.Phq9Item9, at, $"PHQ-9 item 9 answered {item9}");
                    }
                    else if ((Has(Distractor.EarlyPhq9Item9) && week == 0) || (Has(Distractor.TransientPhq9Item9) && week == transientPhqAt))
                    {
                        item9 = 1;
                    }

                    _actions.Add(new PlannedAssessment(at, profile.Index, Phq9, Phq9Answers(_rng, phq, item9), ByClient, phq + item9, null));
                }

                if (week % 3 == 0)
                {
                    if (week > 0)
                    {
                        var before = hq;
                        hq = profile.Trajectory switch
                        {
                            Trajectory.Improving => Math.Max(10, hq - 5 - _rng.Next(5)),
                            Trajectory.Deteriorating when week >= Onset && Has(Signal.RisingHq25) => Math.Min(95, hq + 6 + _rng.Next(7)),
                            _ => Math.Clamp(hqBase + _rng.Next(-3, 4), 0, 100),
                        };
                        if (hq > before && week >= Onset)
                        {
                            Sign(Signal.RisingHq25, at, $"HQ-25 {before} → {hq}");
                        }
                    }

                    _actions.Add(new PlannedAssessment(at, profile.Index, Hq25, Hq25Answers(_rng, hq), ByClient, hq, null));
                }
            }
        }

        // ---- Isolation records (Kato 2020 inputs) ----

        private void IsolationRecords()
        {
            double months;
            int daysOut;
            if (Has(Signal.KatoProgression))
            {
                months = 5.2 + (_rng.Next(4) / 10.0);
                daysOut = 2;
            }
            else if (Has(Distractor.StablePreHikikomori))
            {
                months = 3.2 + (_rng.Next(9) / 10.0);
                daysOut = 2 + _rng.Next(2);
            }
            else
            {
                months = profile.Trajectory == Trajectory.Improving ? 7 + _rng.Next(24) : 8 + _rng.Next(41);
                daysOut = profile.Trajectory == Trajectory.Improving ? 1 : _rng.Next(4);
            }

            var distress = _rng.NextDouble() < 0.7;
            var previousStatus = "";
            for (var week = 0; week < p.Weeks; week += 4)
            {
                var at = LocalToUtc(FirstMonday.AddDays((7 * week) + 1), IsolationRecordHour, profile.TimeZone);
                var elapsedMonths = Math.Round(months + (week * 7 / 30.44), 1);
                var days = daysOut;
                var oneRoom = false;
                if (week > 0 && profile.Trajectory == Trajectory.Improving)
                {
                    days = Math.Min(7, 3 + (week / 4));
                }
                else if (week >= Onset && Has(Signal.KatoProgression))
                {
                    days = 0;
                    oneRoom = true;
                }

                var status = KatoStatus(elapsedMonths, days, impairment: true);
                _actions.Add(new PlannedIsolationRecord(at, profile.Index, elapsedMonths, days, oneRoom, true, distress, status));
                if (week > 0 && week >= Onset && status != previousStatus)
                {
                    Sign(Signal.KatoProgression, at, $"Kato 2020 status {previousStatus} → {status}");
                }

                previousStatus = status;
            }
        }
    }
}
