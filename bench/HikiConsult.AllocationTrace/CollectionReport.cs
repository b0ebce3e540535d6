using Microsoft.Diagnostics.Tracing;

namespace HikiConsult.AllocationTrace;

/// <summary>
/// One line per garbage collection of a recording: when, which generation, how long the process was paused
/// (suspension start to restart end, and of it: suspending the threads, the collection itself), bytes promoted out of generations 0 and 1, and the generation sizes after it.
/// </summary>
internal static class CollectionReport
{
    public static int Print(string file, TextWriter output)
    {
        using var source = new EventPipeEventSource(file);
        double suspendedAt = 0, suspendEnd = 0, gcStart = 0, gcEnd = 0;
        var generation = -1;
        string sizes = "", promoted = "";
        source.Clr.GCSuspendEEStart += e => suspendedAt = e.TimeStampRelativeMSec;
        source.Clr.GCSuspendEEStop += e => suspendEnd = e.TimeStampRelativeMSec;
        source.Clr.GCStart += e =>
        {
            generation = e.Depth;
            gcStart = e.TimeStampRelativeMSec;
        };
        source.Clr.GCStop += e => gcEnd = e.TimeStampRelativeMSec;
        source.Clr.GCHeapStats += e =>
        {
            promoted = $"promoted gen0 {e.TotalPromotedSize0 / 1e6:0.00} MB, gen1 {e.TotalPromotedSize1 / 1e6:0.00} MB";
            sizes = $"gen0 {e.GenerationSize0 / 1e6:0.0} MB, gen1 {e.GenerationSize1 / 1e6:0.0} MB, gen2 {e.GenerationSize2 / 1e6:0.0} MB";
        };
        source.Clr.GCRestartEEStop += e =>
        {
            if (generation >= 0)
            {
                output.WriteLine($"{suspendedAt / 1000,8:0.000} s  gen{generation}  paused {e.TimeStampRelativeMSec - suspendedAt,6:0.0} ms (suspend {suspendEnd - suspendedAt,5:0.0}, collect {gcEnd - gcStart,5:0.0})  {promoted}  after: {sizes}");
            }

            generation = -1;
        };
        source.Process();
        return 0;
    }
}
