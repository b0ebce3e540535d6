namespace HikiConsult.Cohort.SimulatedTime;

/// <summary>
/// Wall-clock time that moves only when told to (<see cref="AdvanceTo"/>). Timers created through it fire during an
/// advance, in due order, with the clock set to each due time, so grain timers (alert escalation, the triage refresh,
/// delayed analytics writes) run at their simulated moments. A periodic timer fires once per advance, at its last due
/// time on the way, however many periods passed, as a real timer does after the machine slept: housekeeping timers
/// (renewals every minute, the grain host's call-timeout sweep every second) would otherwise run hundreds of thousands
/// of times per simulated week. One-shot timers (grain timers are re-armed one-shot) fire at their own due time.
/// Timestamps (<see cref="TimeProvider.GetTimestamp"/>) stay real: they measure elapsed time of sockets, hub
/// keep-alives and idle grains, which must not jump.
/// Not FakeTimeProvider: it fires a periodic timer once per elapsed period and moves timestamps with the clock.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<SimulatedTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    public SimulatedClock(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward to <paramref name="target"/>, firing every timer due on the way. Never backwards.</summary>
    /// <returns>How many timer callbacks ran.</returns>
    public int AdvanceTo(DateTimeOffset target)
    {
        target = target.ToUniversalTime();
        lock (_lock)
        {
            if (target < _now)
            {
                throw new ArgumentOutOfRangeException(nameof(target), $"The simulated clock only moves forward (now {_now:O}, asked {target:O}).");
            }
        }

        var fired = 0;
        while (true)
        {
            SimulatedTimer? next = null;
            DateTimeOffset nextDue = default;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Due is not { } due || due > target)
                    {
                        continue;
                    }

                    // A periodic timer's missed periods collapse into its last due time on the way to the target.
                    var effective = timer.Period is { } period ? due + TimeSpan.FromTicks((target - due).Ticks / period.Ticks * period.Ticks) : due;
                    if (next is null || effective < nextDue || (effective == nextDue && timer.Sequence < next.Sequence))
                    {
                        next = timer;
                        nextDue = effective;
                    }
                }

                if (next is null)
                {
                    _now = target;
                    return fired;
                }

                if (nextDue > _now)
                {
                    _now = nextDue;
                }

                next.Due = next.Period is { } p ? nextDue + p : null;
            }

            next.Fire();
            fired++;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SimulatedTimer(SimulatedClock owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var fireSoon = false;
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                Sequence = ++owner._sequence;
                Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? null : period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Due = null;
                }
                else if (dueTime <= TimeSpan.Zero)
                {
                    // A real timer with a zero due time fires at once on the thread pool; so does this one.
                    fireSoon = true;
                    Due = Period is { } p ? owner._now + p : null;
                }
                else
                {
                    Due = owner._now + dueTime;
                }
            }

            if (fireSoon)
            {
                ThreadPool.QueueUserWorkItem(_ => Fire());
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                Due = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
