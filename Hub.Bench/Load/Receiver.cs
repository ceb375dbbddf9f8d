using System.Diagnostics;
using Hub.Bench.Measurement;
using Hub.Contracts;

namespace Hub.Bench.Load;

/// <summary>
/// What one simulated user received: which message numbers of which publisher (to count losses and duplicates),
/// ordering, and end-to-end latency into the run's shared histogram. Its handler runs on the user's connection
/// dispatch loop, one message at a time, so the per-publisher state needs no lock; counters other threads read
/// (the progress line) are written with Volatile.
/// </summary>
public sealed class Receiver
{
    private readonly LatencyHistogram _latency;
    private BitSet?[] _seen;
    private long[] _lastNumber;
    private long _received;
    private long _duplicates;
    private long _outOfOrder;
    private long _redelivered;
    private long _foreign;

    /// <summary>Creates a receiver that records into <paramref name="latency"/>.</summary>
    public Receiver(LatencyHistogram latency, int publishers)
    {
        _latency = latency;
        _seen = new BitSet?[Math.Max(1, publishers)];
        _lastNumber = new long[_seen.Length];
        Array.Fill(_lastNumber, -1);
    }

    /// <summary>Distinct benchmark messages received.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Messages received again (same publisher and number).</summary>
    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Messages from a publisher that arrived after a later one of the same publisher.</summary>
    public long OutOfOrder => Volatile.Read(ref _outOfOrder);

    /// <summary>Messages that came from the pending queue at (re)connect.</summary>
    public long Redelivered => Volatile.Read(ref _redelivered);

    /// <summary>Messages that were not the benchmark's (another client's text).</summary>
    public long Foreign => Volatile.Read(ref _foreign);

    /// <summary>Whether message <paramref name="number"/> of <paramref name="publisher"/> was received.</summary>
    public bool Has(int publisher, long number) => publisher < _seen.Length && _seen[publisher]?.Contains(number) == true;

    /// <summary>Handles one delivered message.</summary>
    public void OnMessage(Envelope envelope)
    {
        var now = Stopwatch.GetTimestamp();
        if (!MessageStamp.TryParse(envelope.Text, out var sentAt, out var publisher, out var number, out var measured) || publisher < 0)
        {
            Volatile.Write(ref _foreign, _foreign + 1);
            return;
        }

        if (publisher >= _seen.Length)
        {
            Array.Resize(ref _seen, publisher + 1);
            var old = _lastNumber.Length;
            Array.Resize(ref _lastNumber, publisher + 1);
            Array.Fill(_lastNumber, -1, old, _lastNumber.Length - old);
        }

        var seen = _seen[publisher] ??= new BitSet();
        if (!seen.Add(number))
        {
            Volatile.Write(ref _duplicates, _duplicates + 1);
            return;
        }

        if (number < _lastNumber[publisher])
        {
            Volatile.Write(ref _outOfOrder, _outOfOrder + 1);
        }

        _lastNumber[publisher] = Math.Max(_lastNumber[publisher], number);
        if (envelope.Redelivered)
        {
            // A redelivery's age is how long the user was away, not a latency of the system.
            Volatile.Write(ref _redelivered, _redelivered + 1);
        }
        else if (measured)
        {
            _latency.RecordTicks(sentAt, now);
        }

        Volatile.Write(ref _received, _received + 1);
    }
}
