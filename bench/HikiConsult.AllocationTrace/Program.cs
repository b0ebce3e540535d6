using HikiConsult.AllocationTrace;

// Usage:
//   record <pid> <seconds> <file.nettrace>   allocation samples with stacks and GC events of a running process
//   allocations <file.nettrace> [prefix]      bytes by type, by the innermost frame starting with prefix, by stack
//   record-gc <pid> <seconds> <file.nettrace> GC events only (informational level, no stacks): light enough for timings
//   collections <file.nettrace>               every collection: generation, pause, promoted bytes, generation sizes
//   marks <file.nettrace>                     every collection's marking stages per heap: time and bytes marked
//   old-to-young <pid> [top]                  older objects holding references to younger ones, by type (suspends the process)
return args switch
{
    ["record", var pid, var seconds, var file] => Recorder.Record(Int(pid), Seconds(seconds), file, withStacks: true),
    ["record-gc", var pid, var seconds, var file] => Recorder.Record(Int(pid), Seconds(seconds), file, withStacks: false),
    ["allocations", var file] => AllocationReport.Print(file, "HikiConsult", Console.Out),
    ["allocations", var file, var prefix] => AllocationReport.Print(file, prefix, Console.Out),
    ["collections", var file] => CollectionReport.Print(file, Console.Out),
    ["marks", var file] => MarkReport.Print(file, Console.Out),
    ["old-to-young", var pid] => OldToYoungReport.Print(Int(pid), 40, Console.Out),
    ["old-to-young", var pid, var top] => OldToYoungReport.Print(Int(pid), Int(top), Console.Out),
    _ => Usage(),
};

static int Int(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

static int Usage()
{
    Console.Error.WriteLine("HikiConsult.AllocationTrace record <pid> <seconds> <file.nettrace> | allocations <file> [frame prefix] | record-gc <pid> <seconds> <file> | collections <file> | marks <file> | old-to-young <pid> [top]");
    return 2;
}
