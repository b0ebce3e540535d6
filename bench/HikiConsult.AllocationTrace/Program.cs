using HikiConsult.AllocationTrace;

// Usage:
//   record <pid> <seconds> <file.nettrace>   allocation samples with stacks and GC events of a running process
//   allocations <file.nettrace> [prefix]      bytes by type, by the innermost frame starting with prefix, by stack
//   record-gc <pid> <seconds> <file.nettrace> GC events only (informational level, no stacks): light enough for timings
//   collections <file.nettrace>               every collection: generation, pause, promoted bytes, generation sizes
//   marks <file.nettrace>                     every collection's marking stages per heap: time and bytes marked
return args switch
{
    ["record", var pid, var seconds, var file] => Recorder.Record(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)), file, withStacks: true),
    ["record-gc", var pid, var seconds, var file] => Recorder.Record(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)), file, withStacks: false),
    ["allocations", var file] => AllocationReport.Print(file, "HikiConsult", Console.Out),
    ["allocations", var file, var prefix] => AllocationReport.Print(file, prefix, Console.Out),
    ["collections", var file] => CollectionReport.Print(file, Console.Out),
    ["marks", var file] => MarkReport.Print(file, Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("HikiConsult.AllocationTrace record <pid> <seconds> <file.nettrace> | allocations <file> [frame prefix] | record-gc <pid> <seconds> <file> | collections <file> | marks <file>");
    return 2;
}
