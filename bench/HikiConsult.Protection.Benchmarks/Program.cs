using System.Diagnostics;
using System.Text;
using HikiConsult.Grains.Protection;

// The cost of encryption at rest per message body: IClinicalDataProtector.Protect (on append) and UnprotectToUtf8 (on
// each read), one thread, CPU time and allocation per call. Usage:
// dotnet run -c Release --project bench/HikiConsult.Protection.Benchmarks -- [--rounds 5] [--calls 200000]
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(5);
var calls = args.SkipWhile(a => a != "--calls").Skip(1).Select(int.Parse).FirstOrDefault(200_000);
var directory = Directory.CreateTempSubdirectory("hikiconsult-protection-bench-").FullName;
try
{
    var protector = new AesGcmClinicalDataProtector(new DataKeyRing(directory, TimeProvider.System, TimeSpan.Zero));

    // Bodies as the session log stores them: a short and a long text message (normalised JSON).
    foreach (var text in new[] { "今日は少し外に出られました。", new string('x', 1000) })
    {
        var body = Encoding.UTF8.GetBytes($"{{\"text\":\"{text}\"}}");
        var stored = protector.Protect(body);
        Measure("warm-up", body.Length, () => protector.Protect(body), () => protector.UnprotectToUtf8(stored), calls / 10);
        for (var round = 1; round <= rounds; round++)
        {
            Measure($"round {round}", body.Length, () => protector.Protect(body), () => protector.UnprotectToUtf8(stored), calls);
        }

        Console.WriteLine($"stored size: {body.Length} bytes of JSON → {stored.Length} characters of text");
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static void Measure(string label, int size, Func<string> protect, Func<byte[]> unprotect, int calls)
{
    var (protectCpu, protectBytes) = Run(() => protect(), calls);
    var (unprotectCpu, unprotectBytes) = Run(() => unprotect(), calls);
    Console.WriteLine(
        $"{label,-8} {size,5} B body: protect {protectCpu:F2} µs CPU, {protectBytes:F0} B allocated; unprotect {unprotectCpu:F2} µs CPU, {unprotectBytes:F0} B allocated");
}

static (double CpuMicroseconds, double Bytes) Run(Action call, int calls)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    for (var i = 0; i < calls; i++)
    {
        call();
    }

    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    return (cpuUsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)calls);
}
