using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HikiConsult.Actors.Internal;
using HikiConsult.Actors.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_activations_and_storage_are_measured_on_the_HikiConsult_Actors_meter()
    {
        await using var host = await TestHost.StartAsync();
        // Only this host's meter: tests run in parallel, each host with its own meter of the same name.
        var meter = host.Services.GetRequiredService<GrainHostMetrics>().Meter;
        var measurements = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Meter.Name == "HikiConsult.Actors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measurements.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();

        var counter = host.GetGrain<ICounterGrain>("measured");
        await counter.Increment();
        await counter.Increment();
        await host.WaitForQuiescenceAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(2, measurements["hikiconsult.actors.calls"]);
        Assert.Equal(2, measurements["hikiconsult.actors.call.duration"]);
        Assert.Equal(3, measurements["hikiconsult.actors.storage.duration"]);
        Assert.Equal(1, measurements["hikiconsult.actors.activations"]);
        Assert.Equal(0, measurements["hikiconsult.actors.mailbox.length"]);
    }
}
