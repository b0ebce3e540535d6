using HikiConsult.Cohort.Driving;
using HikiConsult.Cohort.Evaluation;

namespace HikiConsult.Cohort.Tests;

public sealed class ScoringTests
{
    // Clients 0-9 deteriorating in these cases; entries are in the server's order.
    private static bool Deteriorating(int client) => client < 10;

    private static QueueEntry E(int client, double score, int reasons = 1) => new(client, score, reasons, []);

    [Fact]
    public void Precision_counts_the_first_k_as_served_and_divides_by_k_even_for_a_short_queue()
    {
        QueueEntry[] queue = [E(0, 900), E(20, 500), E(1, 400), E(21, 300)];

        Assert.Equal(0.2, Scoring.PrecisionAtK(queue, Deteriorating));
        Assert.Equal(0.5, Scoring.PrecisionAtK(queue, Deteriorating, k: 4));
        Assert.Equal(1.0, Scoring.PrecisionAtK(queue, Deteriorating, k: 1));
    }

    [Fact]
    public void A_tied_group_across_place_k_contributes_its_relevant_share_of_the_places_it_gets()
    {
        // Places 1-2 are sure; the tie of 4 (one relevant) gets places 3 and 4 of k = 4: 1 × 2/4 expected.
        QueueEntry[] queue = [E(0, 900), E(20, 800), E(1, 60), E(21, 60), E(22, 60), E(23, 60), E(2, 10)];

        Assert.Equal((1 + 0.5) / 4, Scoring.TieAwarePrecisionAtK(queue, Deteriorating, k: 4), 10);
        Assert.Equal(1.5, Scoring.ExpectedInTopK(queue, Deteriorating, k: 4), 10);
        Assert.Equal(3.0 / 7, Scoring.TieAwarePrecisionAtK(queue, Deteriorating, k: 7), 10);
    }

    [Fact]
    public void The_reason_count_breaks_ties_in_score_as_the_server_orders()
    {
        QueueEntry[] queue = [E(20, 60, reasons: 2), E(0, 60, reasons: 1)];

        Assert.Equal(2, Scoring.TiedGroups(queue).Count());
        Assert.Equal(0.0, Scoring.TieAwarePrecisionAtK(queue, Deteriorating, k: 1));
        Assert.True(Scoring.InTopKWhateverTies(queue, 20, k: 1));
        Assert.False(Scoring.InTopKWhateverTies(queue, 0, k: 1));
    }

    [Fact]
    public void In_the_top_k_whatever_ties_only_when_the_whole_tied_group_fits()
    {
        QueueEntry[] queue = [E(0, 900), E(1, 60), E(2, 60), E(3, 10)];

        Assert.True(Scoring.InTopKWhateverTies(queue, 0, k: 2));
        Assert.False(Scoring.InTopKWhateverTies(queue, 1, k: 2));
        Assert.True(Scoring.InTopKWhateverTies(queue, 2, k: 3));
        Assert.False(Scoring.InTopKWhateverTies(queue, 3, k: 3));
        Assert.False(Scoring.InTopKWhateverTies(queue, 99, k: 10));
    }

    [Fact]
    public void Median_of_odd_even_and_empty_sets()
    {
        Assert.Equal(2.0, Scoring.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, Scoring.Median([4.0, 1.0, 2.0, 3.0]));
        Assert.Null(Scoring.Median([]));
    }
}
