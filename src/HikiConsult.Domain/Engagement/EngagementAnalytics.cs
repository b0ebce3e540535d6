namespace HikiConsult.Domain.Engagement;

/// <summary>
/// Pure folds of session-history events into <see cref="EngagementState"/>. Each event touches only bounded parts of
/// the state (one day entry, one hour counter, one recent session, one series), so an update costs O(1) however
/// long the history is. The fold itself is <see cref="EngagementStateBuilder"/>'s; an owner that applies many events
/// keeps a builder rather than a new state per event.
/// </summary>
public static class EngagementAnalytics
{
    public const string Source = Sources.EngagementAnalytics;

    /// <summary>Applies an event with its log sequence number; an event at or below <see cref="EngagementState.LastSeq"/> is a replay and changes nothing.</summary>
    public static EngagementState Apply(this EngagementState state, EngagementEvent e, long seq)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (seq <= state.LastSeq)
        {
            return state;
        }

        var builder = new EngagementStateBuilder(state);
        builder.Apply(e, seq);
        return builder.ToState();
    }

    /// <exception cref="InvalidRecordException">A time zone change to an unknown zone.</exception>
    public static EngagementState Apply(this EngagementState state, EngagementEvent e)
    {
        var builder = new EngagementStateBuilder(state);
        builder.Apply(e);
        return builder.ToState();
    }
}
