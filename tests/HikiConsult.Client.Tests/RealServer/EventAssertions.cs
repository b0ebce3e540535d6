using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.RealServer;

internal static class EventAssertions
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public static string? Text(SessionEventDto e) =>
        e.Kind == EventKinds.Text && e.Body.TryGetProperty("text", out var text) ? text.GetString() : null;

    /// <summary>Each seq once, each one more than the previous.</summary>
    public static void AssertContiguous(IReadOnlyList<SessionEventDto> events, long firstSeq)
    {
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => firstSeq + i), events.Select(e => e.Seq));
    }

    /// <summary>Same seqs, kinds, senders and bodies.</summary>
    public static void AssertSameEvents(IReadOnlyList<SessionEventDto> expected, IReadOnlyList<SessionEventDto> actual)
    {
        Assert.Equal(
            expected.Select(e => (e.Seq, e.Kind, e.Sender.Id, e.Body.GetRawText())),
            actual.Select(e => (e.Seq, e.Kind, e.Sender.Id, e.Body.GetRawText())));
    }
}
