using System.Text.Json;
using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.Sessions;

public sealed class EventSequencerTests
{
    private static SessionEventDto Event(long seq) =>
        new("s1", seq, DateTimeOffset.UnixEpoch.AddSeconds(seq), new SenderDto("u", Roles.Counselor, "C"), EventKinds.Text, JsonSerializer.SerializeToElement(new { text = $"m{seq}" }));

    private static long[] Seqs(IEnumerable<SessionEventDto> events) => events.Select(e => e.Seq).ToArray();

    [Fact]
    public void In_order_events_are_delivered_at_once()
    {
        var sequencer = new EventSequencer();

        Assert.Equal([1L], Seqs(sequencer.Accept(Event(1))));
        Assert.Equal([2L], Seqs(sequencer.Accept(Event(2))));
        Assert.Equal(2, sequencer.LastDelivered);
        Assert.Null(sequencer.MissingSeq);
    }

    [Fact]
    public void Events_after_a_gap_wait_until_the_gap_is_filled_then_come_in_order()
    {
        var sequencer = new EventSequencer();
        sequencer.Accept(Event(1));

        Assert.Empty(sequencer.Accept(Event(4)));
        Assert.Empty(sequencer.Accept(Event(3)));
        Assert.Equal(2, sequencer.MissingSeq);
        Assert.Equal(2, sequencer.PendingCount);

        Assert.Equal([2L, 3L, 4L], Seqs(sequencer.Accept(Event(2))));
        Assert.Equal(4, sequencer.LastDelivered);
        Assert.Equal(0, sequencer.PendingCount);
    }

    [Fact]
    public void Repeats_of_delivered_or_waiting_seqs_are_dropped_and_counted()
    {
        var sequencer = new EventSequencer();
        sequencer.Accept(Event(1));
        sequencer.Accept(Event(3));

        Assert.Empty(sequencer.Accept(Event(1)));
        Assert.Empty(sequencer.Accept(Event(3)));
        Assert.Equal(2, sequencer.DuplicatesDropped);
        Assert.Equal([2L, 3L], Seqs(sequencer.Accept(Event(2))));
    }

    [Fact]
    public void A_resume_batch_overlapping_live_pushes_yields_each_seq_once_in_order()
    {
        // Live pushes 7 and 8 arrived before the resume answer with 5..8 (the connection joined, then events flowed).
        var sequencer = new EventSequencer(lastDelivered: 4);
        Assert.Empty(sequencer.Accept(Event(7)));
        Assert.Empty(sequencer.Accept(Event(8)));

        var delivered = sequencer.AcceptRange([Event(5), Event(6), Event(7), Event(8)]);

        Assert.Equal([5L, 6L, 7L, 8L], Seqs(delivered));
        Assert.Equal(2, sequencer.DuplicatesDropped);
    }

    [Fact]
    public void Starting_after_a_seq_ignores_history_up_to_it()
    {
        var sequencer = new EventSequencer(lastDelivered: 10);

        Assert.Equal([11L], Seqs(sequencer.AcceptRange([Event(9), Event(10), Event(11)])));
    }

    [Fact]
    public void Skipping_a_lost_seq_releases_what_waited_and_counts_the_loss()
    {
        var sequencer = new EventSequencer();
        sequencer.Accept(Event(1));
        sequencer.Accept(Event(4));

        Assert.Equal([4L], Seqs(sequencer.SkipTo(3)));
        Assert.Equal(2, sequencer.SeqsSkipped);
        Assert.Equal(4, sequencer.LastDelivered);
    }

    [Fact]
    public void Shuffled_input_with_repeats_comes_out_as_the_exact_sequence()
    {
        var random = new Random(42);
        var input = Enumerable.Range(1, 500).SelectMany(s => random.Next(3) == 0 ? new[] { s, s } : [s]).OrderBy(_ => random.Next()).ToList();
        var sequencer = new EventSequencer();

        var output = input.SelectMany(s => sequencer.Accept(Event(s))).ToList();

        Assert.Equal(Enumerable.Range(1, 500).Select(s => (long)s), Seqs(output));
        Assert.Equal(input.Count - 500, sequencer.DuplicatesDropped);
    }
}
