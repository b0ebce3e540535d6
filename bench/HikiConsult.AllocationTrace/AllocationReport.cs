using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace HikiConsult.AllocationTrace;

/// <summary>
/// Sums the sampled allocations of a recording three ways: by type; by the innermost frame whose method starts with
/// a prefix (our code, attributing what a library allocates to the call of ours that caused it; "(none)" when no
/// such frame is on the stack); and by type and stack.
/// </summary>
internal static class AllocationReport
{
    private const int Depth = 16;

    public static int Print(string file, string ownPrefix, TextWriter output)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(file));
        var byType = new Dictionary<string, long>();
        var byOwnFrame = new Dictionary<string, long>();
        var byStack = new Dictionary<string, long>();
        long total = 0;
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            var bytes = tick.AllocationAmount64;
            total += bytes;
            var frames = Frames(e.CallStack());
            Add(byType, tick.TypeName, bytes);
            Add(byOwnFrame, frames.FirstOrDefault(f => f.StartsWith(ownPrefix, StringComparison.Ordinal)) ?? "(none)", bytes);
            Add(byStack, tick.TypeName + Environment.NewLine + "      " + string.Join(Environment.NewLine + "      ", frames), bytes);
        }

        output.WriteLine($"Sampled allocations: {total / 1e6:0.0} MB");
        Print(output, "By type", byType, 40);
        Print(output, $"By the innermost frame starting with \"{ownPrefix}\"", byOwnFrame, 40);
        Print(output, "By type and stack", byStack, 60);
        return 0;
    }

    private static List<string> Frames(TraceCallStack? stack)
    {
        var frames = new List<string>(Depth);
        for (; stack is not null && frames.Count < Depth; stack = stack.Caller)
        {
            var name = stack.CodeAddress.FullMethodName;
            frames.Add(string.IsNullOrEmpty(name) ? stack.CodeAddress.ModuleName + "!?" : name);
        }

        return frames;
    }

    private static void Add(Dictionary<string, long> sums, string key, long bytes) => sums[key] = sums.GetValueOrDefault(key) + bytes;

    private static void Print(TextWriter output, string title, Dictionary<string, long> sums, int top)
    {
        output.WriteLine();
        output.WriteLine(title);
        foreach (var (key, bytes) in sums.OrderByDescending(s => s.Value).Take(top))
        {
            output.WriteLine($"{bytes / 1e6,8:0.0} MB  {key}");
        }
    }
}
