using System.Diagnostics;
using System.Globalization;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Load;

/// <summary>
/// Runs publishers for warm-up plus the measured duration, waits for the last deliveries, and checks every receiver
/// against every confirmed send: the part all throughput scenarios share.
/// </summary>
public static class LoadRunner
{
    /// <summary>Runs the load and fills the delivery, latency and resource figures of <paramref name="result"/>.</summary>
    /// <param name="publishers">Who sends, each with its recipients.</param>
    /// <param name="users">Every simulated user (their receivers are summed for progress and deliveries).</param>
    /// <param name="totalRate">Messages per second over all publishers; 0 or less for as fast as possible.</param>
    /// <param name="latency">The histogram the receivers record into.</param>
    /// <param name="monitor">Reads server, Redis and nginx CPU and memory.</param>
    /// <param name="settings">Timing.</param>
    /// <param name="label">Progress line label.</param>
    /// <param name="result">Receives the figures.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task RunAsync(IReadOnlyList<Publisher> publishers, IReadOnlyList<SimUser> users, double totalRate, LatencyHistogram latency,
        ResourceMonitor monitor, RunSettings settings, string label, ScenarioResult result, CancellationToken cancellationToken)
    {
        var ackLatency = new LatencyHistogram();
        var ratePerPublisher = totalRate > 0 ? totalRate / publishers.Count : 0;
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 10);
        var measureFrom = start + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var maxMessages = ratePerPublisher > 0
            ? Math.Min(settings.MaxMessagesPerPublisher, (long)Math.Ceiling(ratePerPublisher * (settings.Warmup + settings.Duration).TotalSeconds) + 1)
            : settings.MaxMessagesPerPublisher;

        long Sent() => publishers.Sum(p => p.Confirmed);
        long Delivered() => users.Sum(u => u.Receiver.Received + u.Receiver.Duplicates);

        long lastSent = 0, lastDelivered = 0;
        var lastAt = Stopwatch.GetTimestamp();
        string Status()
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds);
            var (sent, delivered) = (Sent(), Delivered());
            var line = string.Create(CultureInfo.InvariantCulture,
                $"sent {sent:N0} ({(sent - lastSent) / seconds:N0}/s)  delivered {delivered:N0} ({(delivered - lastDelivered) / seconds:N0}/s)  p99 {latency.Percentile(99) / 1000.0:0.0} ms  errors {publishers.Sum(p => p.Failures)}");
            (lastSent, lastDelivered, lastAt) = (sent, delivered, now);
            return now < measureFrom ? "warm-up  " + line : line;
        }

        ResourceSnapshot? before = null;
        long deliveredAtStart = 0, sentAtStart = 0;
        await using (ProgressLine.Start(label, Status, monitor, settings.Quiet))
        {
            // The measured window opens after warm-up; the snapshot is taken on time, independent of the publishers.
            var opener = Task.Run(async () =>
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                deliveredAtStart = Delivered();
                sentAtStart = Sent();
                before = monitor.Start();
            }, cancellationToken);

            await Task.WhenAll(publishers.Select(p => Task.Run(
                () => p.RunAsync(ratePerPublisher, start + (long)(p.Index % publishers.Count * (ratePerPublisher > 0 ? Stopwatch.Frequency / totalRate : 0)),
                    measureFrom, end, maxMessages, settings.MaxInFlight, settings.TextSize, ackLatency, cancellationToken),
                cancellationToken)));
            await opener;

            var sendingEnded = Stopwatch.GetTimestamp();
            var deliveredAtEnd = Delivered();
            var sentAtEnd = Sent();
            var measured = Math.Max(1e-3, Stopwatch.GetElapsedTime(measureFrom, sendingEnded).TotalSeconds);
            result.MeasuredSeconds = measured;
            result.SentPerSecond = (sentAtEnd - sentAtStart) / measured;
            result.DeliveredPerSecond = (deliveredAtEnd - deliveredAtStart) / measured;

            // Drain: every confirmed message must reach every target.
            var expected = publishers.Sum(p => p.Confirmed * p.Targets.Count);
            var drainUntil = Stopwatch.GetTimestamp() + (long)(settings.Drain.TotalSeconds * Stopwatch.Frequency);
            while (users.Sum(u => u.Receiver.Received) < expected && Stopwatch.GetTimestamp() < drainUntil)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        var after = monitor.Snapshot();
        result.Resources = monitor.Between(before!, after);
        result.WindowDeliveries = Delivered() - deliveredAtStart;
        result.ComputeCpuPerDelivery();

        result.TargetRate = totalRate;
        result.Sent = Sent();
        result.SendErrors = publishers.Sum(p => p.Failures);
        result.Delivered = Delivered();
        result.Latency = latency.Summarize();
        result.SendLatency = ackLatency.Summarize();
        result.Lost = CountLost(publishers);
        result.Duplicates = users.Sum(u => u.Receiver.Duplicates);
        result.OutOfOrder = users.Sum(u => u.Receiver.OutOfOrder);
        result.Reconnects = users.Sum(u => u.Reconnects);
        if (publishers.FirstOrDefault(p => p.LastError is not null) is { } failing)
        {
            result.Notes.Add($"send error: {failing.LastError}");
        }

        if (totalRate > 0 && result.SentPerSecond < totalRate * 0.95)
        {
            result.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"could not sustain {totalRate:N0}/s: reached {result.SentPerSecond:N0}/s"));
        }
    }

    /// <summary>Confirmed messages missing at a target: for each publisher and target, every number not failed and not received.</summary>
    public static long CountLost(IReadOnlyList<Publisher> publishers)
    {
        long lost = 0;
        foreach (var publisher in publishers)
        {
            var attempted = publisher.Attempted;
            foreach (var target in publisher.Targets)
            {
                for (long n = 0; n < attempted; n++)
                {
                    if (!target.Has(publisher.Index, n) && !publisher.Failed(n))
                    {
                        lost++;
                    }
                }
            }
        }

        return lost;
    }
}
