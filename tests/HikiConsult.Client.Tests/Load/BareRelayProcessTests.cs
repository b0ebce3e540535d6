using System.Diagnostics;
using HikiConsult.LoadTest.BareRelay;
using HikiConsult.ServerLauncher;
using HikiConsult.LoadTest.Load;

namespace HikiConsult.Client.Tests.Load;

/// <summary>
/// The bare relay as the load tool runs it by default: its own process, loaded like the server (real WebSocket
/// connections from the tool's clients), with its CPU time and collections read from outside.
/// </summary>
public sealed class BareRelayProcessTests
{
    [Fact]
    public async Task The_bare_relay_process_relays_every_message_and_reports_its_cpu_and_collections_then_dies_with_a_kill()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var bare = await BareRelayHost.StartProcessAsync(LoopbackPorts.GetFree(), timeout.Token);
        var processId = bare.ProcessId;
        Assert.NotEqual(Environment.ProcessId, processId);
        await using (bare)
        {
            using var runtimeHttp = new HttpClient { BaseAddress = bare.BaseAddress };
            var sessions = Enumerable.Range(1, 4).Select(i => new SessionPair($"bare-test-{i}", null, null)).ToList();
            await using var runner = await LoadRunner.ConnectAsync(
                new LoadTarget("bare relay", bare.BaseAddress, sessions),
                parallelism: 4,
                TextWriter.Null,
                timeout.Token,
                () => bare.TotalProcessorTime,
                ct => RuntimeReading.ReadAsync(runtimeHttp, ct));
            Assert.Equal(8, runner.Connections);

            var result = await runner.RunOpenLoopAsync(100, TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), riskShare: 0, timeout.Token);

            Assert.InRange(result.Acked, 80, 120);
            Assert.Equal((0L, 0L, 0L, 0L, 0L), (result.Lost, result.Duplicated, result.OrderViolations, result.SeqGaps, result.ConnectionsLost));
            // Measured in the relay's own process, not in this one.
            Assert.True(result.Cpu.TargetMs > 0, $"target CPU {result.Cpu.TargetMs} ms");
            Assert.NotNull(result.Runtime);
            Assert.True(result.Runtime.AllocatedBytes > 0, $"allocated {result.Runtime.AllocatedBytes} bytes");
        }

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId));
    }
}
