using System.Diagnostics;
using HikiConsult.LoadTest;
using HikiConsult.LoadTest.Load;

namespace HikiConsult.Client.Tests.Load;

/// <summary>The load tool's risk alert bookkeeping: which alert belongs to which risk message, and what it counts.</summary>
public sealed class RiskAlertMatcherTests
{
    private const string Session = "se_a";
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    private static RiskAlertMatcher NewMatcher(long seqBefore = 0) =>
        new(0.01, new Dictionary<string, long> { [Session] = seqBefore });

    // The whole phase is the measured window unless a test says otherwise.
    private static RiskAlertResult Summarize(RiskAlertMatcher matcher) => matcher.Summarize(long.MinValue, long.MaxValue);

    [Fact]
    public void An_alert_that_arrives_before_the_ack_is_held_until_the_ack_names_its_seq()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 4, Session, sentAt: 1000 * Ms);

        matcher.AlertReceived(Session, seq: 9, at: 1012 * Ms);
        Assert.Equal(1, Summarize(matcher).FalseAlerts); // Not matched yet: held.

        matcher.Acknowledged(id: 4, seq: 9);
        var result = Summarize(matcher);

        Assert.Equal((1, 1, 0, 0, 0), (result.Expected, result.Received, result.Missing, result.FalseAlerts, result.Duplicates));
        Assert.Equal(12, result.Latency.P50Ms, 6);
        Assert.Equal(0, matcher.Pending);
    }

    [Fact]
    public void The_relayed_copy_names_the_seq_when_the_alert_comes_before_the_ack()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 4, Session, sentAt: 1000 * Ms);
        matcher.Relayed(id: 4, seq: 9);
        matcher.AlertReceived(Session, seq: 9, at: 1030 * Ms);
        matcher.Acknowledged(id: 4, seq: 9);

        var result = Summarize(matcher);

        Assert.Equal((1, 1, 0, 0), (result.Expected, result.Received, result.Missing, result.FalseAlerts));
        Assert.Equal(30, result.Latency.MaxMs, 6);
        Assert.Equal(0, matcher.Pending);
    }

    [Fact]
    public void A_repeated_alert_is_a_duplicate_whether_it_came_before_or_after_the_seq_was_known()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 1, Session, sentAt: 0);
        matcher.Sent(id: 2, Session, sentAt: 0);
        matcher.AlertReceived(Session, seq: 5, at: 10 * Ms);
        matcher.AlertReceived(Session, seq: 5, at: 20 * Ms); // Both held.
        matcher.Acknowledged(id: 1, seq: 5);
        matcher.Acknowledged(id: 2, seq: 6);
        matcher.AlertReceived(Session, seq: 6, at: 15 * Ms);
        matcher.AlertReceived(Session, seq: 6, at: 25 * Ms);

        var result = Summarize(matcher);

        Assert.Equal((2, 2, 0, 2), (result.Expected, result.Received, result.FalseAlerts, result.Duplicates));
        Assert.Equal(10.0, result.Latency.P50Ms, 10.0 * 0.001); // First arrivals count (histogram: three digits).
        Assert.Equal(15.0, result.Latency.MaxMs, 6);
    }

    [Fact]
    public void An_acknowledged_risk_message_without_an_alert_is_pending_and_then_missing()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 1, Session, sentAt: 0);
        matcher.Sent(id: 2, Session, sentAt: 0);
        matcher.Acknowledged(id: 1, seq: 3);
        matcher.Acknowledged(id: 2, seq: 4);
        matcher.AlertReceived(Session, seq: 4, at: 5 * Ms);

        Assert.Equal(1, matcher.Pending);
        var result = Summarize(matcher);
        Assert.Equal((2, 1, 1), (result.Expected, result.Received, result.Missing));
        Assert.Equal(1, result.Latency.Count);
    }

    [Fact]
    public void A_risk_message_the_server_refused_owes_no_alert()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 1, Session, sentAt: 0);

        var result = Summarize(matcher);

        Assert.Equal((1, 0, 0), (result.RiskSent, result.Expected, result.Missing));
        Assert.Equal(0, matcher.Pending);
    }

    [Fact]
    public void An_alert_for_a_message_without_a_risk_phrase_is_false_and_one_for_an_earlier_phase_is_not()
    {
        var matcher = NewMatcher(seqBefore: 100);
        matcher.Sent(id: 1, Session, sentAt: 0);
        matcher.Acknowledged(id: 1, seq: 101);
        matcher.Acknowledged(id: 2, seq: 102); // Not a risk message: ignored.
        matcher.Relayed(id: 3, seq: 103); // Likewise.
        matcher.AlertReceived(Session, seq: 101, at: Ms);
        matcher.AlertReceived(Session, seq: 102, at: Ms);
        matcher.AlertReceived(Session, seq: 100, at: Ms);
        matcher.AlertReceived("se_other", seq: 101, at: Ms);

        var result = Summarize(matcher);

        Assert.Equal((1, 1, 0), (result.Expected, result.Received, result.Missing));
        Assert.Equal(2, result.FalseAlerts); // 102 here, 101 of a session that sent no risk message.
        Assert.Equal(1, result.Earlier);
    }

    [Fact]
    public void Latency_is_over_the_measured_window_and_alerts_after_a_second_are_not_within_it()
    {
        var matcher = NewMatcher();
        var second = Stopwatch.Frequency;
        matcher.Sent(id: 1, Session, sentAt: 0); // Warmup.
        matcher.Sent(id: 2, Session, sentAt: 10 * second);
        matcher.Sent(id: 3, Session, sentAt: 11 * second);
        matcher.Sent(id: 4, Session, sentAt: 12 * second); // Never alerted.
        for (var id = 1; id <= 4; id++)
        {
            matcher.Acknowledged(id, seq: id);
        }

        matcher.AlertReceived(Session, seq: 1, at: 5 * second);
        matcher.AlertReceived(Session, seq: 2, at: (10 * second) + (200 * Ms));
        matcher.AlertReceived(Session, seq: 3, at: (11 * second) + (1500 * Ms));

        var result = matcher.Summarize(measureStart: 10 * second, measureEnd: 20 * second);

        Assert.Equal((4, 3, 1), (result.Expected, result.Received, result.Missing));
        Assert.Equal((3, 1), (result.InWindow, result.WithinSecond));
        Assert.Equal(2, result.Latency.Count);
        Assert.Equal(1500, result.Latency.MaxMs, 6);
    }

    [Fact]
    public void A_drain_waits_for_owed_alerts()
    {
        var tracker = new PhaseTracker(run: 2, capacity: 4, NewMatcher());
        var id = tracker.NextId();
        var sentAt = tracker.MarkSending(id);
        tracker.Alerts!.Sent(id, Session, sentAt);
        tracker.Alerts.Acknowledged(id, seq: 1);
        tracker.MarkAcked(id);
        tracker.OnReceived(receiverIsCounselor: true, tracker.TextFor(id, fromCounselor: false, RiskPhrases.For(0)));

        Assert.False(tracker.IsSettled());

        tracker.Alerts.AlertReceived(Session, seq: 1, at: Stopwatch.GetTimestamp());

        Assert.True(tracker.IsSettled());
    }

    [Fact]
    public void A_risk_message_text_still_names_its_run_and_message()
    {
        var tracker = new PhaseTracker(run: 7, capacity: 100);
        var text = tracker.TextFor(42, fromCounselor: false, "もう死にたい");

        Assert.Equal("7:d42 もう死にたい", text);
        Assert.Equal(-1, tracker.OnReceived(receiverIsCounselor: false, text)); // The sender's own copy.
        Assert.Equal(42, tracker.OnReceived(receiverIsCounselor: true, text));
        Assert.Equal(-1, tracker.OnReceived(receiverIsCounselor: true, "7:dx I want to die"));
    }

    [Fact]
    public void The_risk_phrases_are_flagged_in_every_language_and_the_ordinary_load_text_is_not()
    {
        Assert.Equal(["en", "ja", "nl"], RiskPhrases.All.Select(p => p.Language));
        Assert.Null(RiskPhrases.FirstUnflagged());
        Assert.All(RiskPhrases.All, p => Assert.True(RiskPhrases.IsFlagged(PhaseTracker.Text(12, 123456, fromCounselor: false, p.Text)), p.Text));
        Assert.False(RiskPhrases.IsFlagged(PhaseTracker.Text(12, 123456, fromCounselor: false, "I would never hurt myself")));
        Assert.False(RiskPhrases.IsFlagged(PhaseTracker.Text(12, 123456, fromCounselor: false, null)));
        Assert.False(RiskPhrases.IsFlagged(PhaseTracker.Text(3, 7, fromCounselor: true, null)));
        Assert.Equal(["I want to die", "もう死にたい", "Ik wil dood", "I want to die"], Enumerable.Range(0, 4).Select(i => RiskPhrases.For(i)));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("0.51")]
    [InlineData("NaN")]
    public void The_risk_share_is_bounded(string share)
    {
        Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse(["--risk-share", share]));
    }

    [Fact]
    public void The_risk_share_defaults_to_one_percent_and_zero_turns_it_off()
    {
        Assert.Equal(0.01, LoadTestOptions.Parse([]).RiskShare);
        Assert.Equal(0, LoadTestOptions.Parse(["--risk-share", "0"]).RiskShare);
        Assert.Equal(0.5, LoadTestOptions.Parse(["--risk-share", "0.5"]).RiskShare);
    }

    [Fact]
    public void The_report_fails_missing_slow_and_false_alerts_and_says_n_a_for_the_bare_relay()
    {
        var matcher = NewMatcher();
        matcher.Sent(id: 1, Session, sentAt: 0);
        matcher.Sent(id: 2, Session, sentAt: 0);
        matcher.Acknowledged(id: 1, seq: 1);
        matcher.Acknowledged(id: 2, seq: 2);
        matcher.AlertReceived(Session, seq: 1, at: 2 * Stopwatch.Frequency);
        matcher.AlertReceived(Session, seq: 3, at: Ms);
        var failing = Result("server", matcher.Summarize(long.MinValue, long.MaxValue));

        var good = NewMatcher();
        good.Sent(id: 1, Session, sentAt: 0);
        good.Acknowledged(id: 1, seq: 1);
        good.AlertReceived(Session, seq: 1, at: 3 * Ms);
        var passing = Result("server", good.Summarize(long.MinValue, long.MaxValue));

        var bad = Report.AlertVerdict([Result("bare relay", null), failing], 0.01);
        Assert.Contains("- FAIL alerts: every risk message alerted within 1 s: 0 of 2", bad);
        Assert.Contains("- FAIL alerts: none missing: 1 of 2", bad);
        Assert.Contains("- FAIL alerts: 0 false alerts: 1 ", bad);
        Assert.Contains("- PASS alerts: none duplicated", bad);

        var ok = Report.AlertVerdict([passing], 0.01);
        Assert.DoesNotContain("FAIL", ok);
        Assert.Contains("- PASS alerts: every risk message alerted within 1 s: 1 of 1", ok);

        Assert.Contains("| bare relay | open loop 100/s | n/a", Report.AlertTable([Result("bare relay", null), passing], 0.01));
        Assert.StartsWith("- n/a  alerts: the bare relay has no risk detection", Report.AlertVerdict([Result("bare relay", null)], 0.01));
    }

    private static PhaseResult Result(string target, RiskAlertResult? alerts) =>
        new(target, "open loop 100/s", 2, 100, 100, 100, LatencySummary.Empty, LatencySummary.Empty, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, CpuCost.None, new Dictionary<string, long>(), alerts);
}
