using System.Diagnostics;

namespace HikiConsult.LoadTest.Load;

/// <summary>CPU time used by this process and, if given, the target's and the database's processes between start and a reading.</summary>
internal readonly struct CpuMeter
{
    private readonly Func<TimeSpan>? _target;
    private readonly Func<TimeSpan>? _database;
    private readonly TimeSpan _toolStart;
    private readonly TimeSpan _targetStart;
    private readonly TimeSpan _databaseStart;
    private readonly long _wallStart;

    private CpuMeter(Func<TimeSpan>? target, Func<TimeSpan>? database)
    {
        _target = target;
        _database = database;
        _toolStart = ToolCpu();
        _targetStart = target?.Invoke() ?? TimeSpan.Zero;
        _databaseStart = database?.Invoke() ?? TimeSpan.Zero;
        _wallStart = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(Func<TimeSpan>? target, Func<TimeSpan>? database = null) => new(target, database);

    public CpuCost Read()
    {
        var tool = (ToolCpu() - _toolStart).TotalMilliseconds;
        var target = _target is null ? double.NaN : (_target() - _targetStart).TotalMilliseconds;
        var database = _database is null ? double.NaN : (_database() - _databaseStart).TotalMilliseconds;
        return new CpuCost(tool, target, Stopwatch.GetElapsedTime(_wallStart).TotalMilliseconds, database);
    }

    private static TimeSpan ToolCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
