using System.Diagnostics;
using System.Numerics;

namespace Hub.Bench.Measurement;

/// <summary>
/// A lock-free log-linear histogram of latencies in microseconds: exact below 128 µs, then 64 buckets per power of two
/// (under 1.6 % error). Many receivers record into one instance concurrently; a fixed array keeps recording free of
/// allocation, so the load generator's own cost stays flat at 100k deliveries per second.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private const int MaxShift = 40;
    private static readonly double s_ticksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    private readonly long[] _counts = new long[Linear + (MaxShift * SubBuckets)];
    private long _count;
    private long _max;

    /// <summary>How many values were recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records the time from <paramref name="startTimestamp"/> to <paramref name="endTimestamp"/> (Stopwatch ticks).</summary>
    public void RecordTicks(long startTimestamp, long endTimestamp) =>
        Record((long)Math.Max(0, (endTimestamp - startTimestamp) / s_ticksPerMicrosecond));

    /// <summary>Records one value in microseconds.</summary>
    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), in microseconds; 0 when empty.</summary>
    public long Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        rank = Math.Clamp(rank, 1, total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBoundOf(i), Max);
            }
        }

        return Max;
    }

    /// <summary>The largest value recorded, in microseconds.</summary>
    public long Max => Volatile.Read(ref _max);

    /// <summary>The usual summary in milliseconds.</summary>
    public LatencySummary Summarize() => new(
        Count,
        Percentile(50) / 1000.0,
        Percentile(95) / 1000.0,
        Percentile(99) / 1000.0,
        Max / 1000.0);

    private static int IndexOf(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = Math.Min(msb - 6, MaxShift);
        var sub = (int)Math.Min((value >> shift) - SubBuckets, SubBuckets - 1);
        return Linear + ((shift - 1) * SubBuckets) + sub;
    }

    private static long UpperBoundOf(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / SubBuckets) + 1;
        var sub = ((index - Linear) % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
