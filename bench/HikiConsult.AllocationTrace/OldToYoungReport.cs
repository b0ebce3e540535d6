using Microsoft.Diagnostics.Runtime;

namespace HikiConsult.AllocationTrace;

/// <summary>
/// Which older objects point at younger ones, by type: the objects a generation-0 collection finds through the
/// cards (it scans every older object written since the last collection). Attaches to the process, suspended
/// for the walk of its heap, and counts for each type the older objects holding a reference into generation 0
/// (and, apart, generation 2 objects holding one into generation 1).
/// </summary>
internal static class OldToYoungReport
{
    public static int Print(int processId, int top, TextWriter output)
    {
        using var target = DataTarget.AttachToProcess(processId, suspend: true);
        // The runtime's own DAC sits beside it; symbol servers are not used here.
        var clr = target.ClrVersions[0];
        var dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, "libmscordaccore.so");
        // ClrMD reads no version from a Linux module (0.0), so it would refuse the matching DAC without ignoreMismatch.
        using var runtime = File.Exists(dac) ? clr.CreateRuntime(dac, ignoreMismatch: true) : clr.CreateRuntime();
        var heap = runtime.Heap;
        var toGen0 = new Dictionary<string, (int Objects, int References)>();
        var toGen1 = new Dictionary<string, (int Objects, int References)>();
        long objects = 0;
        foreach (var obj in heap.EnumerateObjects())
        {
            objects++;
            var segment = heap.GetSegmentByAddress(obj.Address);
            var generation = segment?.GetGeneration(obj.Address) ?? Generation.Unknown;
            if (generation is not (Generation.Generation1 or Generation.Generation2 or Generation.Large or Generation.Pinned))
            {
                continue;
            }

            int young0 = 0, young1 = 0;
            foreach (var reference in obj.EnumerateReferenceAddresses())
            {
                var referenced = heap.GetSegmentByAddress(reference)?.GetGeneration(reference) ?? Generation.Unknown;
                if (referenced == Generation.Generation0)
                {
                    young0++;
                }
                else if (referenced == Generation.Generation1 && generation != Generation.Generation1)
                {
                    young1++;
                }
            }

            var name = obj.Type?.Name ?? "(unknown)";
            Count(toGen0, name, young0);
            Count(toGen1, name, young1);
        }

        output.WriteLine($"{objects:N0} objects walked");
        Print("Older objects holding references into generation 0", toGen0, top, output);
        Print("Generation 2 (and large, pinned) objects holding references into generation 1", toGen1, top, output);
        return 0;
    }

    private static void Count(Dictionary<string, (int Objects, int References)> counts, string name, int references)
    {
        if (references == 0)
        {
            return;
        }

        var (o, r) = counts.GetValueOrDefault(name);
        counts[name] = (o + 1, r + references);
    }

    private static void Print(string title, Dictionary<string, (int Objects, int References)> counts, int top, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{title}: {counts.Values.Sum(c => c.Objects):N0} objects, {counts.Values.Sum(c => c.References):N0} references");
        foreach (var (name, (objects, references)) in counts.OrderByDescending(c => c.Value.Objects).Take(top))
        {
            output.WriteLine($"  {objects,8:N0} objects {references,8:N0} refs  {name}");
        }
    }
}
