using System.Diagnostics;

namespace HikiConsult.LoadTest.Load;

/// <summary>CPU time used by this process and, if given, the target's process between start and a reading.</summary>
internal readonly struct CpuMeter
{
    private readonly Func<TimeSpan>? _target;
    private readonly TimeSpan _toolStart;
    private readonly TimeSpan _targetStart;
    private readonly long _wallStart;

    private CpuMeter(Func<TimeSpan>? target)
    {
        _target = target;
        _toolStart = ToolCpu();
        _targetStart = target?.Invoke() ?? TimeSpan.Zero;
        _wallStart = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(Func<TimeSpan>? target) => new(target);

    public CpuCost Read()
    {
        var tool = (ToolCpu() - _toolStart).TotalMilliseconds;
        var target = _target is null ? double.NaN : (_target() - _targetStart).TotalMilliseconds;
        return new CpuCost(tool, target, Stopwatch.GetElapsedTime(_wallStart).TotalMilliseconds);
    }

    private static TimeSpan ToolCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
