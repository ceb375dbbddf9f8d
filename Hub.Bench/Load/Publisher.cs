using System.Diagnostics;
using Hub.Bench.Measurement;
using Hub.Contracts;

namespace Hub.Bench.Load;

/// <summary>
/// One sending user: paces its sends to a rate (or sends as fast as a window of in-flight sends allows), stamps each
/// text with the intended send time, and remembers which numbered messages the server confirmed (stored for every
/// recipient) so receivers can be checked against exactly those.
/// </summary>
public sealed class Publisher
{
    private readonly Func<string, CancellationToken, Task<SendResult>> _send;
    private readonly HashSet<long> _failed = [];
    private long _nextNumber;
    private long _confirmed;
    private long _failures;
    private string? _lastError;

    /// <summary>Creates publisher number <paramref name="index"/> (unique in the run) sending through <paramref name="send"/>.</summary>
    public Publisher(int index, SimUser user, Func<string, CancellationToken, Task<SendResult>> send, IReadOnlyList<Receiver> targets)
    {
        Index = index;
        User = user;
        _send = send;
        Targets = targets;
    }

    /// <summary>Its number in the run, carried in every text.</summary>
    public int Index { get; }

    /// <summary>The sending user.</summary>
    public SimUser User { get; }

    /// <summary>Who must receive each of its messages.</summary>
    public IReadOnlyList<Receiver> Targets { get; }

    /// <summary>Messages numbered so far (0 .. Attempted-1).</summary>
    public long Attempted => Interlocked.Read(ref _nextNumber);

    /// <summary>Sends the server confirmed.</summary>
    public long Confirmed => Interlocked.Read(ref _confirmed);

    /// <summary>Sends that failed (refused, or the connection dropped before the result).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last failure's message.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Whether send number <paramref name="number"/> failed.</summary>
    public bool Failed(long number)
    {
        lock (_failed)
        {
            return _failed.Contains(number);
        }
    }

    /// <summary>
    /// Sends until <paramref name="endTimestamp"/> or <paramref name="maxMessages"/>, then waits for the sends in flight.
    /// </summary>
    /// <param name="ratePerSecond">Messages per second; 0 or less for as fast as possible.</param>
    /// <param name="startTimestamp">When the first message is due (Stopwatch ticks).</param>
    /// <param name="measureFromTimestamp">Messages stamped before this are warm-up: their latency is not recorded.</param>
    /// <param name="endTimestamp">No message is sent after this.</param>
    /// <param name="maxMessages">At most this many messages.</param>
    /// <param name="maxInFlight">At most this many sends awaiting their result.</param>
    /// <param name="textSize">Approximate text length.</param>
    /// <param name="ackLatency">Receives the time from send to the server's result.</param>
    /// <param name="cancellationToken">Stops sending.</param>
    public async Task RunAsync(double ratePerSecond, long startTimestamp, long measureFromTimestamp, long endTimestamp, long maxMessages,
        int maxInFlight, int textSize, LatencyHistogram ackLatency, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(maxInFlight, maxInFlight);
        var ticksPerMessage = ratePerSecond > 0 ? Stopwatch.Frequency / ratePerSecond : 0;
        for (long i = 0; i < maxMessages && !cancellationToken.IsCancellationRequested; i++)
        {
            long stamp;
            if (ticksPerMessage > 0)
            {
                // The intended time, not the actual one: if the server stalls the sender, the stall shows as latency
                // instead of silently lowering the rate (coordinated omission).
                stamp = startTimestamp + (long)(i * ticksPerMessage);
                if (stamp >= endTimestamp)
                {
                    break;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), stamp);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }

                await window.WaitAsync(cancellationToken);
            }
            else
            {
                await window.WaitAsync(cancellationToken);
                stamp = Stopwatch.GetTimestamp();
                if (stamp >= endTimestamp)
                {
                    window.Release();
                    break;
                }
            }

            var number = Interlocked.Increment(ref _nextNumber) - 1;
            var text = MessageStamp.Format(stamp, Index, number, stamp >= measureFromTimestamp, textSize);
            _ = SendOneAsync(number, text, window, ackLatency, cancellationToken);
        }

        // Let every send in flight finish: taking the whole window means none is left.
        for (var i = 0; i < maxInFlight; i++)
        {
            if (!await window.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None))
            {
                break;
            }
        }
    }

    private async Task SendOneAsync(long number, string text, SemaphoreSlim window, LatencyHistogram ackLatency, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _send(text, cancellationToken);
            ackLatency.RecordTicks(started, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _confirmed);
        }
        catch (Exception ex)
        {
            lock (_failed)
            {
                _failed.Add(number);
            }

            Interlocked.Increment(ref _failures);
            Volatile.Write(ref _lastError, ex.Message);
        }
        finally
        {
            try
            {
                window.Release();
            }
            catch (ObjectDisposedException)
            {
                // The run gave up waiting for this send (30 s); nothing is left to release.
            }
        }
    }
}
