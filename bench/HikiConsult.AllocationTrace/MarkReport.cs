using Microsoft.Diagnostics.Tracing;

namespace HikiConsult.AllocationTrace;

/// <summary>
/// Where the time of each collection goes, heap by heap: the runtime reports the end of each marking stage (roots
/// on the stacks, the finalization queue, handles, older generations' cards, overflow, ...) with the bytes it
/// marked, so the time from the collection's start (or the stage before) to a stage's report is that stage's
/// duration; what follows the last stage to the collection's end is planning, relocating and compacting.
/// </summary>
internal static class MarkReport
{
    private static readonly string[] StageNames = ["stack", "finalize", "handles", "cards", "sizedref", "overflow", "dependent", "new-fq", "steal", "bgc"];

    public static int Print(string file, TextWriter output)
    {
        using var source = new EventPipeEventSource(file);
        double gcStart = 0;
        var generation = -1;
        var lastByHeap = new Dictionary<int, double>();
        var stagesByHeap = new SortedDictionary<int, List<string>>();
        source.Clr.GCStart += e =>
        {
            generation = e.Depth;
            gcStart = e.TimeStampRelativeMSec;
            lastByHeap.Clear();
            stagesByHeap.Clear();
        };
        source.Clr.GCMarkWithType += e =>
        {
            if (generation < 0)
            {
                return;
            }

            var since = lastByHeap.GetValueOrDefault(e.HeapNum, gcStart);
            lastByHeap[e.HeapNum] = e.TimeStampRelativeMSec;
            var name = e.Type < StageNames.Length ? StageNames[e.Type] : $"type{e.Type}";
            if (!stagesByHeap.TryGetValue(e.HeapNum, out var stages))
            {
                stagesByHeap[e.HeapNum] = stages = [];
            }

            stages.Add($"{name} {e.TimeStampRelativeMSec - since:0.0} ms/{e.Promoted / 1e3:0} KB");
        };
        source.Clr.GCStop += e =>
        {
            if (generation < 0)
            {
                return;
            }

            var marked = lastByHeap.Count == 0 ? gcStart : lastByHeap.Values.Max();
            output.WriteLine($"{gcStart / 1000,8:0.000} s  gen{generation}  {e.TimeStampRelativeMSec - gcStart,5:0.0} ms, after marking {e.TimeStampRelativeMSec - marked,5:0.0} ms");
            foreach (var (heap, stages) in stagesByHeap)
            {
                output.WriteLine($"           heap {heap}: {string.Join(", ", stages)}");
            }

            generation = -1;
        };
        source.Process();
        return 0;
    }
}
