using HikiConsult.AllocationTrace;

// Usage:
//   record <pid> <seconds> <file.nettrace>   allocation samples with stacks and GC events of a running process
//   allocations <file.nettrace> [prefix]      bytes by type, by the innermost frame starting with prefix, by stack
//   collections <file.nettrace>               every collection: generation, pause, promoted bytes, generation sizes
return args switch
{
    ["record", var pid, var seconds, var file] => Recorder.Record(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)), file),
    ["allocations", var file] => AllocationReport.Print(file, "HikiConsult", Console.Out),
    ["allocations", var file, var prefix] => AllocationReport.Print(file, prefix, Console.Out),
    ["collections", var file] => CollectionReport.Print(file, Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("HikiConsult.AllocationTrace record <pid> <seconds> <file.nettrace> | allocations <file> [frame prefix] | collections <file>");
    return 2;
}
