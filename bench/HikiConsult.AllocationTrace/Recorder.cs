using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace HikiConsult.AllocationTrace;

/// <summary>
/// Attaches to a process over its diagnostic port and records the runtime's GC events. With stacks, at verbose
/// level: one <c>GCAllocationTick</c> per ~100 KB allocated (type and stack), and the pause, promotion and heap events
/// of every collection; stacks slow the process down, so record them for figures of where, not of how fast. Without,
/// at informational level: the collections' events only (pauses, marking stages), light enough for timings.
/// </summary>
internal static class Recorder
{
    public static int Record(int processId, TimeSpan duration, string file, bool withStacks)
    {
        var providers = withStacks
            ? new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Stack | ClrTraceEventParser.Keywords.Loader | ClrTraceEventParser.Keywords.Jit)) }
            : new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC) };
        using var session = new DiagnosticsClient(processId).StartEventPipeSession(providers, requestRundown: withStacks, circularBufferMB: 512);
        using (var output = File.Create(file))
        {
            var copy = session.EventStream.CopyToAsync(output);
            Thread.Sleep(duration);
            session.Stop();
            copy.GetAwaiter().GetResult();
        }

        Console.WriteLine($"Recorded {duration.TotalSeconds:0} s of process {processId} to {file}.");
        return 0;
    }
}
