using System.Diagnostics.Metrics;
using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Hub.Server.Admin;

/// <summary>
/// Listens to this host's <see cref="HubMetrics"/> counters (stored, delivered, resumes) and turns their running totals
/// into one <see cref="ThroughputSample"/> per <see cref="AdminOptions.SampleInterval"/>, keeping
/// <see cref="AdminOptions.SampleWindow"/> of them. It listens only to the meter made by this host's
/// <see cref="IMeterFactory"/>, so hosts sharing a process (tests) do not count each other.
/// </summary>
public sealed class ThroughputSampler : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly long _intervalSeconds;
    private readonly int _capacity;
    private readonly Queue<ThroughputSample> _samples = new();
    private readonly Lock _gate = new();
    private long _stored;
    private long _delivered;
    private long _resumes;
    private (long Stored, long Delivered, long Resumes) _taken;

    /// <summary>Starts listening to the counters of the meter made by <paramref name="meters"/>.</summary>
    public ThroughputSampler(IMeterFactory meters, IOptions<AdminOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _intervalSeconds = (long)options.Value.SampleInterval.TotalSeconds;
        _capacity = (int)(options.Value.SampleWindow / options.Value.SampleInterval);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HubMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Name is "hub.messages.stored" or "hub.deliveries" or "hub.resumes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "hub.messages.stored": Interlocked.Add(ref _stored, value); break;
                case "hub.deliveries": Interlocked.Add(ref _delivered, value); break;
                default: Interlocked.Add(ref _resumes, value); break;
            }
        });
        _listener.Start();
    }

    /// <summary>The interval of the samples, in seconds.</summary>
    public long IntervalSeconds => _intervalSeconds;

    /// <summary>Closes the interval now ending: records what the counters gained since the last sample.</summary>
    public void Sample()
    {
        var at = _time.GetUtcNow().ToUnixTimeSeconds() / _intervalSeconds * _intervalSeconds;
        lock (_gate)
        {
            var now = (Interlocked.Read(ref _stored), Interlocked.Read(ref _delivered), Interlocked.Read(ref _resumes));
            var sample = new ThroughputSample(at - _intervalSeconds, now.Item1 - _taken.Stored, now.Item2 - _taken.Delivered, now.Item3 - _taken.Resumes);
            _taken = now;
            _samples.Enqueue(sample);
            while (_samples.Count > _capacity)
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>The samples kept, oldest first.</summary>
    public IReadOnlyList<ThroughputSample> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();
}
