using System.Diagnostics.Metrics;

namespace HikiConsult.Actors.Internal;

/// <summary>Grain host instruments on the meter "HikiConsult.Actors".</summary>
internal sealed class GrainHostMetrics
{
    public const string MeterName = "HikiConsult.Actors";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _storageDuration;
    private long _activations;
    private GrainRuntime? _runtime;

    public GrainHostMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableUpDownCounter("hikiconsult.actors.activations", () => Interlocked.Read(ref _activations), "{activation}", "Active grain activations.");
        _calls = _meter.CreateCounter<long>("hikiconsult.actors.calls", "{call}", "Grain calls and timer ticks completed.");
        _callDuration = _meter.CreateHistogram<double>("hikiconsult.actors.call.duration", "ms", "Time from sending a call to its completion.");
        _meter.CreateObservableGauge("hikiconsult.actors.mailbox.length", MailboxLength, "{message}", "Messages waiting in activation mailboxes.");
        _storageDuration = _meter.CreateHistogram<double>("hikiconsult.actors.storage.duration", "ms", "Grain state read, write and clear latency.");
    }

    public long Activations => Interlocked.Read(ref _activations);

    public Meter Meter => _meter;

    public void Observe(GrainRuntime runtime) => _runtime = runtime;

    /// <summary>Whether calls need a send timestamp (only while someone listens to the call duration).</summary>
    public bool MeasuresCallDuration => _callDuration.Enabled;

    public void ActivationCreated() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public void RecordCall(Message message, TimeProvider time)
    {
        if (_calls.Enabled)
        {
            _calls.Add(1);
        }

        if (_callDuration.Enabled && message.SentTimestamp != 0)
        {
            _callDuration.Record(time.GetElapsedTime(message.SentTimestamp).TotalMilliseconds);
        }
    }

    public void RecordStorage(string operation, string provider, TimeSpan elapsed)
    {
        if (_storageDuration.Enabled)
        {
            _storageDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("provider", provider));
        }
    }

    private long MailboxLength() => _runtime?.Activations.Sum(a => (long)a.PendingCount) ?? 0;
}
