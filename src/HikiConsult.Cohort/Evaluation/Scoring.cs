using HikiConsult.Cohort.Driving;

namespace HikiConsult.Cohort.Evaluation;

/// <summary>
/// Ranking measures on one triage read. The server orders by score, then by the number of reasons, then by client id;
/// the id is random per run, so entries equal in score and reason count are a tie whose order means nothing. The
/// tie-aware forms below give the same answer whatever that order, which keeps a run reproducible from its seed.
/// </summary>
public static class Scoring
{
    public const int K = 10;

    /// <summary>Share of the first <paramref name="k"/> entries, as served, that are relevant (divided by k even when the queue is shorter).</summary>
    public static double PrecisionAtK(IReadOnlyList<QueueEntry> served, Func<int, bool> relevant, int k = K)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return served.Take(k).Count(e => relevant(e.Client)) / (double)k;
    }

    /// <summary>
    /// Expected precision@k over every order of tied entries (McSherry and Najork, "Computing information retrieval
    /// performance measures efficiently in the presence of tied scores", ECIR 2008): a tied group that straddles
    /// position k contributes its relevant share of the places it gets.
    /// </summary>
    public static double TieAwarePrecisionAtK(IReadOnlyList<QueueEntry> served, Func<int, bool> relevant, int k = K) =>
        ExpectedInTopK(served, relevant, k) / k;

    /// <summary>How many entries matching <paramref name="predicate"/> the first k hold, expected over every order of tied entries.</summary>
    public static double ExpectedInTopK(IReadOnlyList<QueueEntry> served, Func<int, bool> predicate, int k = K)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var expected = 0.0;
        foreach (var (group, places) in TopKGroups(served, k))
        {
            expected += (double)group.Count(e => predicate(e.Client)) * places / group.Count;
        }

        return expected;
    }

    /// <summary>The tied groups that reach into the first k, each with the number of those places it gets.</summary>
    public static IEnumerable<(IReadOnlyList<QueueEntry> Group, int Places)> TopKGroups(IReadOnlyList<QueueEntry> served, int k = K)
    {
        var position = 0;
        foreach (var group in TiedGroups(served))
        {
            if (position >= k)
            {
                yield break;
            }

            yield return (group, Math.Min(k - position, group.Count));
            position += group.Count;
        }
    }

    /// <summary>Whether the client is among the first k whatever the order of ties (its whole tied group fits in the first k).</summary>
    public static bool InTopKWhateverTies(IReadOnlyList<QueueEntry> served, int client, int k = K)
    {
        var position = 0;
        foreach (var group in TiedGroups(served))
        {
            position += group.Count;
            if (group.Any(e => e.Client == client))
            {
                return position <= k;
            }

            if (position >= k)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Consecutive entries equal in score and reason count (the server's order keys before the random id).</summary>
    public static IEnumerable<IReadOnlyList<QueueEntry>> TiedGroups(IReadOnlyList<QueueEntry> served)
    {
        var group = new List<QueueEntry>();
        foreach (var entry in served)
        {
            if (group.Count > 0 && (group[0].Score != entry.Score || group[0].ReasonCount != entry.ReasonCount))
            {
                yield return group;
                group = [];
            }

            group.Add(entry);
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
