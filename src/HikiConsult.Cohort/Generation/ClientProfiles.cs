namespace HikiConsult.Cohort.Generation;

/// <summary>Who each client is: trajectory, language, time zone, counselor, and which signs or confounders it has.</summary>
internal static class ClientProfiles
{
    // Spreads the clients' seeds apart (two primes and an offset) and the plan builders' seeds apart from the profiles'
    // (MurmurHash2's multiplier); arbitrary but fixed: changing them changes every cohort.
    private const int SeedPrime = 7919;
    private const int IndexPrime = 104729;
    private const int SeedOffset = 17;
    private const int PlanSeedMask = 0x5bd1e995;

    public static List<ClientProfile> Draw(CohortParameters p)
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

            profiles.Add(new ClientProfile(index, trajectory, language.Language, timeZone, index % p.Counselors, onset, signals, distractors, ClientSeed(p.Seed, index) ^ PlanSeedMask));
        }

        EnsureRiskLanguages(profiles);
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

    private static int ClientSeed(int seed, int index) => unchecked((seed * SeedPrime) + (index * IndexPrime) + SeedOffset);
}

/// <summary>One client as drawn, before its events are planned; <see cref="Seed"/> seeds its plan.</summary>
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
