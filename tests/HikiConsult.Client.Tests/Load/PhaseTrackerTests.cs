using System.Diagnostics;
using HikiConsult.LoadTest.Load;

namespace HikiConsult.Client.Tests.Load;

/// <summary>The load tool's bookkeeping: what counts as relayed, lost and duplicated.</summary>
public sealed class PhaseTrackerTests
{
    [Fact]
    public void Receipts_on_the_other_side_count_once_echoes_and_other_runs_are_ignored_and_repeats_are_duplicates()
    {
        var tracker = new PhaseTracker(run: 3, capacity: 10);
        var start = Stopwatch.GetTimestamp();
        var a = tracker.NextId();
        var b = tracker.NextId();
        tracker.MarkSending(a);
        tracker.MarkSending(b);
        tracker.MarkAcked(a);
        tracker.MarkAcked(b);

        tracker.OnReceived(receiverIsCounselor: false, tracker.TextFor(a, fromCounselor: true));
        tracker.OnReceived(receiverIsCounselor: true, tracker.TextFor(a, fromCounselor: true)); // the sender's own copy
        tracker.OnReceived(receiverIsCounselor: false, tracker.TextFor(a, fromCounselor: true)); // a repeat
        tracker.OnReceived(receiverIsCounselor: false, "2:c1"); // an earlier run
        tracker.OnReceived(receiverIsCounselor: false, "not a load message");

        var result = tracker.Summarize("t", "p", 2, 2, start, Stopwatch.GetTimestamp() + 1, 0, 0, 0, CpuCost.None);

        Assert.Equal(2, result.Acked);
        Assert.Equal(1, result.Lost);
        Assert.Equal(1, result.Duplicated);
        Assert.Equal(1, result.Relay.Count);
        Assert.False(tracker.IsSettled());
    }

    [Fact]
    public void A_failed_send_is_an_error_not_a_loss_and_is_reported_if_it_was_relayed_anyway()
    {
        var tracker = new PhaseTracker(run: 1, capacity: 4);
        var start = Stopwatch.GetTimestamp();
        var id = tracker.NextId();
        tracker.MarkSending(id);
        tracker.OnReceived(receiverIsCounselor: true, tracker.TextFor(id, fromCounselor: false));
        tracker.MarkFailed(id, new InvalidOperationException("An unexpected error occurred invoking 'Send' on the server. HubException: Too many messages: at most 20 per second."));

        var result = tracker.Summarize("t", "p", 2, 1, start, Stopwatch.GetTimestamp() + 1, 0, 0, 0, CpuCost.None);

        Assert.Equal(0, result.Lost);
        Assert.Equal(1, result.SendErrors);
        Assert.Equal(1, result.ReceivedWithoutAck);
        Assert.Equal("InvalidOperationException: Too many messages", Assert.Single(result.ErrorKinds).Key);
        Assert.True(tracker.IsSettled());
    }

    [Fact]
    public void The_timeline_buckets_relayed_messages_by_send_time_from_the_start_of_the_measured_window()
    {
        var tracker = new PhaseTracker(run: 1, capacity: 4);
        var measureStart = Stopwatch.GetTimestamp() - (Stopwatch.Frequency * 6 / 10); // sends fall 0.6 s into the window
        var relayed = tracker.NextId();
        var lost = tracker.NextId();
        tracker.MarkSending(relayed);
        tracker.MarkSending(lost);
        tracker.MarkAcked(relayed);
        tracker.MarkAcked(lost);
        tracker.OnReceived(receiverIsCounselor: true, tracker.TextFor(relayed, fromCounselor: false));

        var result = tracker.Summarize("t", "p", 2, 1, measureStart, Stopwatch.GetTimestamp() + 1, 0, 0, 0, CpuCost.None);

        var bucket = Assert.Single(result.Timeline);
        Assert.Equal(0.5, bucket.OffsetSeconds);
        Assert.Equal(1, bucket.Relayed);
        Assert.Equal(bucket.MaxMs, bucket.P99Ms);
        Assert.Equal("target,phase,offsetSeconds,relayed,p50Ms,p99Ms,maxMs", Report.TimelineCsv([result]).First());
        Assert.StartsWith("t,p,0.50,1,", Report.TimelineCsv([result]).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_bounds_the_number_of_messages()
    {
        var tracker = new PhaseTracker(run: 1, capacity: 2);

        Assert.Equal([0L, 1L, -1L], [tracker.NextId(), tracker.NextId(), tracker.NextId()]);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_to_three_significant_digits_and_the_maximum_is_exact()
    {
        var oneMs = Stopwatch.Frequency / 1000;
        var ticks = Enumerable.Range(1, 100).Reverse().Select(i => i * oneMs).ToArray();

        var summary = LatencySummary.FromStopwatchTicks(ticks);

        Assert.Equal(100, summary.Count);
        Assert.InRange(summary.P50Ms, 50, 50.05);
        Assert.InRange(summary.P90Ms, 90, 90.09);
        Assert.InRange(summary.P99Ms, 99, 99.099);
        Assert.Equal(100, summary.P999Ms, 6);
        Assert.Equal(100, summary.MaxMs, 6);
    }

    [Fact]
    public void A_latency_beyond_the_histogram_range_still_counts_and_keeps_its_exact_maximum()
    {
        var twoHours = Stopwatch.Frequency * 7200;

        var summary = LatencySummary.FromStopwatchTicks([Stopwatch.Frequency / 1000, twoHours]);

        Assert.Equal(2, summary.Count);
        Assert.Equal(7_200_000, summary.MaxMs, 6);
        Assert.InRange(summary.P999Ms, 3_596_400, 3_603_600); // An hour, to three digits.
    }
}
