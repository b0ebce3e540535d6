using HikiConsult.Actors.TestKit;

namespace HikiConsult.Actors.Tests.Grains;

/// <summary>How a test timer behaves: each tick records "tick:{key}:{n}", may wait at gate "tick:{key}:{n}" and may throw.</summary>
public sealed record TimerSpec(TimeSpan DueTime, TimeSpan Period, bool Interleave = false, bool KeepAlive = false, bool HoldTicks = false, int ThrowOnTick = 0);

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimerSpec spec);

    Task StopTimer();

    Task ChangeTimer(TimeSpan dueTime, TimeSpan period);

    Task<int> Ticks();

    /// <summary>An ordinary request that waits at a gate (to see whether ticks interleave with it).</summary>
    Task Hold(string gate);

    Task DeactivateSoon();
}

public sealed class TimerGrain(GrainEvents events, TestGates gates, ConcurrencyProbe probe) : RecordingGrain(events), ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;

    public Task Start(TimerSpec spec)
    {
        _timer = RegisterGrainTimer(
            static (s, ct) => s.Grain.Tick(s.Spec),
            (Grain: this, Spec: spec),
            new GrainTimerCreationOptions(spec.DueTime, spec.Period) { Interleave = spec.Interleave, KeepAlive = spec.KeepAlive });
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task ChangeTimer(TimeSpan dueTime, TimeSpan period)
    {
        _timer!.Change(dueTime, period);
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public async Task Hold(string gate)
    {
        Events.Record("start:" + gate);
        await gates.Pass(gate);
        Events.Record("end:" + gate);
    }

    public Task DeactivateSoon()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task Tick(TimerSpec spec)
    {
        var n = ++_ticks;
        var name = $"tick:{this.GetPrimaryKeyString()}:{n}";
        using (probe.Enter())
        {
            Events.Record(name);
            if (spec.HoldTicks)
            {
                await gates.Pass(name);
            }

            await Task.Yield();
        }

        if (n == spec.ThrowOnTick)
        {
            throw new InvalidOperationException($"tick {n} failed");
        }
    }
}

public interface IEagerTimerGrain : IGrainWithStringKey
{
    Task<int> Ticks();
}

/// <summary>Registers a timer with no due time in OnActivateAsync: it fires while the activation is still activating.</summary>
public sealed class EagerTimerGrain : Grain, IEagerTimerGrain
{
    private int _ticks;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterGrainTimer(_ =>
        {
            _ticks++;
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);
}
