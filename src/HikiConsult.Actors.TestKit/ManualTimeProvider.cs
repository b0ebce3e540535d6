namespace HikiConsult.Actors.TestKit;

/// <summary>
/// A <see cref="TimeProvider"/> that only moves when told to. <see cref="Advance"/> fires every timer that comes
/// due on the way, in due order, on the calling thread, with the clock set to each timer's due time; a timer armed
/// with a zero due time fires at once, inside <see cref="ITimer.Change"/>, as a real timer would soon after.
/// Timestamps are in <see cref="TimeSpan"/> ticks.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _timestamp;
    private long _sequence;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start;

        // Not zero: the runtime treats a zero timestamp as "none".
        _timestamp = TimeSpan.TicksPerDay;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers currently armed (not disposed, with a due time).</summary>
    public int ArmedTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <summary>When the next armed timer comes due; null when none is armed.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_gate)
            {
                long? next = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } at && (next is null || at < next))
                    {
                        next = at;
                    }
                }

                return next is null ? null : _now + TimeSpan.FromTicks(next.Value - _timestamp);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _timestamp;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing each timer that comes due on the way (periodic ones repeatedly).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _timestamp + delta.Ticks;
        }

        while (true)
        {
            ManualTimer? due = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } at && at <= target && (due is null || at < due.DueAt || (at == due.DueAt && timer.Sequence < due.Sequence)))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    MoveTo(target);
                    return;
                }

                MoveTo(Math.Max(_timestamp, due.DueAt!.Value));
                due.DueAt = due.Period is { } period ? _timestamp + period : null;
            }

            due.Fire();
        }
    }

    /// <summary>Advances to an absolute time (no-op if it is in the past).</summary>
    public void AdvanceTo(DateTimeOffset utc)
    {
        var delta = utc - GetUtcNow();
        if (delta > TimeSpan.Zero)
        {
            Advance(delta);
        }
    }

    private void MoveTo(long timestamp)
    {
        _now += TimeSpan.FromTicks(timestamp - _timestamp);
        _timestamp = timestamp;
    }

    private bool Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        }

        if (period != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        }

        lock (_gate)
        {
            if (timer.Disposed)
            {
                return false;
            }

            timer.Sequence = ++_sequence;

            // As with System.Threading.Timer, a zero or infinite period means one-shot.
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _timestamp + dueTime.Ticks;
            if (dueTime != TimeSpan.Zero)
            {
                return false;
            }

            timer.DueAt = timer.Period is { } p ? _timestamp + p : null;
            return true;
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.Disposed = true;
            timer.DueAt = null;
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }
        public long? Period { get; set; }
        public long Sequence { get; set; }
        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Disposed)
            {
                return false;
            }

            if (owner.Arm(this, dueTime, period))
            {
                Fire();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
