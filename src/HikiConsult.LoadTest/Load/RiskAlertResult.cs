namespace HikiConsult.LoadTest.Load;

/// <summary>
/// Risk alerts of one phase. Counts are over every risk message of the phase: <see cref="Expected"/> = risk messages
/// the server acknowledged, <see cref="Missing"/> = of those, no alert on the session's counselor connection after
/// the drain, <see cref="FalseAlerts"/> = alerts for messages that carried no risk phrase, <see cref="Earlier"/> =
/// alerts for messages of an earlier phase. <see cref="Latency"/> (Send call → alert) and
/// <see cref="WithinSecond"/> are over the <see cref="InWindow"/> expected messages sent in the measured window.
/// </summary>
public sealed record RiskAlertResult(
    double Share,
    long RiskSent,
    long Expected,
    long Received,
    long Missing,
    long Duplicates,
    long FalseAlerts,
    long Earlier,
    long InWindow,
    long WithinSecond,
    LatencySummary Latency);
