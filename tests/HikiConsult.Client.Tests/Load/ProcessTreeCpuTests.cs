using System.Diagnostics;
using HikiConsult.LoadTest.Load;

namespace HikiConsult.Client.Tests.Load;

/// <summary>
/// The CPU time of a running target's processes as the load tool reads it: a process with everything under it (a
/// PostgreSQL postmaster and its backends), still counted once a child has exited.
/// </summary>
public sealed class ProcessTreeCpuTests
{
    [Fact]
    public async Task A_process_tree_counts_a_busy_child_while_it_runs_and_after_it_has_exited()
    {
        // The parent runs a child that burns CPU, says so with its pid and waits for a line; then the parent says the
        // child is reaped and waits for a line of its own.
        const string child = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo \"busy $$\"; read line";
        var start = new ProcessStartInfo("bash", ["-c", $"bash -c '{child}'; echo reaped; read line"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var parent = Process.Start(start)!;
        try
        {
            var busy = (await parent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)))!.Split(' ');
            Assert.Equal("busy", busy[0]);
            var childCpu = Process.GetProcessById(int.Parse(busy[1], System.Globalization.CultureInfo.InvariantCulture)).TotalProcessorTime;
            var tree = new ProcessTreeCpu([parent.Id]);

            var whileRunning = tree.Read();
            Assert.True(childCpu > TimeSpan.Zero, "the child used no measurable CPU");
            Assert.True(whileRunning >= childCpu, $"tree {whileRunning} < child {childCpu}");

            await parent.StandardInput.WriteLineAsync("child, go");
            await parent.StandardInput.FlushAsync();
            Assert.Equal("reaped", await parent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.True(tree.Read() >= whileRunning, "the exited child's time was lost");

            await parent.StandardInput.WriteLineAsync("parent, go");
            await parent.StandardInput.FlushAsync();
            await parent.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            var gone = Assert.Throws<InvalidOperationException>(() => tree.Read());
            Assert.Contains(parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), gone.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("4242 (dotnet) S 4000 4242 4000 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 30 0 1 0 0", 4000, 310)]
    [InlineData("77 (a) b (c)) R 1 77 77 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 1 0 0", 1, 10)]
    public void A_stat_line_gives_the_parent_and_own_plus_waited_for_childrens_ticks(string stat, int parent, long ticks)
    {
        Assert.Equal((parent, ticks), ProcessTreeCpu.Parse(stat));
    }
}
