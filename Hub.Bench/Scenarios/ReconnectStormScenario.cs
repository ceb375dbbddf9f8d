using System.Diagnostics;
using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;
using Hub.Contracts;

namespace Hub.Bench.Scenarios;

/// <summary>
/// A reconnect storm: <see cref="Users"/> users share a room; <see cref="Reconnecting"/> of them disconnect, miss
/// <see cref="Missed"/> messages, then all reconnect at the same moment. Each must get every missed message,
/// in order, before <c>Resumed</c>; the figure is the time from starting to reconnect to <c>Resumed</c>.
/// </summary>
/// <param name="Users">Room members.</param>
/// <param name="Reconnecting">How many of them drop and come back at once.</param>
/// <param name="Missed">Messages sent while they are away.</param>
/// <param name="Rounds">How many storms, for more samples.</param>
public sealed record ReconnectStormScenario(int Users, int Reconnecting, int Missed, int Rounds) : IScenario
{
    private static readonly TimeSpan s_resumeTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public string Name => "reconnect";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture, $"{Reconnecting} of {Users} users miss {Missed} msgs, {Rounds} rounds");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Reconnecting, Users - 1);
        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        var resumeTimes = new LatencyHistogram();
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        var names = Enumerable.Range(0, Users).Select(i => $"{context.RunId}-u{i}").ToList();
        var users = await Setup.ConnectAsync(pool, names, 1, context, Name, cancellationToken);
        var room = $"{context.RunId}-room";
        await Setup.CreateRoomAsync(room, users, context, cancellationToken);

        // The publisher stays online; the reconnecting users are the last ones.
        var sender = users[0];
        var publisher = new Publisher(0, sender, (text, ct) => sender.Client.SendToRoomAsync(room, text, ct), [.. users.Select(u => u.Receiver)]);
        var storm = users.TakeLast(Reconnecting).ToList();
        var ackLatency = new LatencyHistogram();
        long resumed = 0, redeliveredReported = 0, notRecovered = 0, incomplete = 0;
        var before = context.Monitor.Start();
        var deliveredBefore = users.Sum(u => u.Receiver.Received + u.Receiver.Duplicates);

        var round = 0;
        await using (ProgressLine.Start(context.Label(Name),
            () => string.Create(CultureInfo.InvariantCulture, $"round {round}/{Rounds}  resumed {Interlocked.Read(ref resumed)}  p50 {resumeTimes.Percentile(50) / 1000.0:0.0} ms"),
            context.Monitor, context.Run.Quiet))
        {
            for (round = 1; round <= Rounds; round++)
            {
                await Parallel.ForEachAsync(storm, cancellationToken, async (user, ct) => await user.Client.StopAsync(ct));

                // Sent while they are away: stored in their queues, delivered live to the others.
                var first = publisher.Attempted;
                var now = Stopwatch.GetTimestamp();
                await publisher.RunAsync(0, now, now, now + (60 * Stopwatch.Frequency), Missed, context.Run.MaxInFlight, context.Run.TextSize, ackLatency, cancellationToken);
                var last = publisher.Attempted;

                // Everyone at once.
                var outcomes = await Task.WhenAll(storm.Select(user => Task.Run(() => ResumeAsync(user, cancellationToken), cancellationToken)));
                foreach (var (elapsed, info) in outcomes)
                {
                    if (info is null)
                    {
                        continue;
                    }

                    resumeTimes.RecordTicks(0, elapsed);
                    Interlocked.Increment(ref resumed);
                    redeliveredReported += info.Redelivered;
                    notRecovered += info.Recovered ? 0 : 1;
                }

                // Resumed comes after the backlog: by now each returning user must hold every missed message.
                foreach (var user in storm)
                {
                    for (var n = first; n < last; n++)
                    {
                        if (!user.Receiver.Has(publisher.Index, n) && !publisher.Failed(n))
                        {
                            incomplete++;
                        }
                    }
                }
            }

            // The users who stayed online get the live copies; wait for the last of them.
            var expected = publisher.Confirmed * publisher.Targets.Count;
            var drainUntil = Stopwatch.GetTimestamp() + (long)(context.Run.Drain.TotalSeconds * Stopwatch.Frequency);
            while (users.Sum(u => u.Receiver.Received) < expected && Stopwatch.GetTimestamp() < drainUntil)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        var after = context.Monitor.Snapshot();
        result.Resources = context.Monitor.Between(before, after);
        result.MeasuredSeconds = result.Resources.WallSeconds;
        result.WindowDeliveries = users.Sum(u => u.Receiver.Received + u.Receiver.Duplicates) - deliveredBefore;
        result.ComputeCpuPerDelivery();
        result.Sent = publisher.Confirmed;
        result.SendErrors = publisher.Failures;
        result.Delivered = users.Sum(u => u.Receiver.Received + u.Receiver.Duplicates);
        result.Latency = latency.Summarize();
        result.SendLatency = ackLatency.Summarize();
        result.Lost = LoadRunner.CountLost([publisher]);
        result.Duplicates = users.Sum(u => u.Receiver.Duplicates);
        result.OutOfOrder = users.Sum(u => u.Receiver.OutOfOrder);
        result.Reconnects = users.Sum(u => u.Reconnects);

        var summary = resumeTimes.Summarize();
        result.Extra["resumes_expected"] = Reconnecting * Rounds;
        result.Extra["resumed"] = resumed;
        result.Extra["resume_p50_ms"] = summary.P50Ms;
        result.Extra["resume_p95_ms"] = summary.P95Ms;
        result.Extra["resume_max_ms"] = summary.MaxMs;
        result.Extra["redelivered_reported"] = redeliveredReported;
        result.Extra["redelivered_received"] = storm.Sum(u => u.Receiver.Redelivered);
        result.Extra["missing_at_resumed"] = incomplete;
        result.Extra["not_recovered"] = notRecovered;
        if (publisher.LastError is { } error)
        {
            result.Notes.Add($"send error: {error}");
        }

        return result;
    }

    /// <summary>Reconnects <paramref name="user"/> and waits for <c>Resumed</c>; returns the elapsed Stopwatch ticks.</summary>
    private static async Task<(long Elapsed, ResumeInfo? Info)> ResumeAsync(SimUser user, CancellationToken cancellationToken)
    {
        var resumed = new TaskCompletionSource<(long, ResumeInfo)>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnResumed(ResumeInfo info) => resumed.TrySetResult((Stopwatch.GetTimestamp(), info));
        user.Client.Resumed += OnResumed;
        try
        {
            var started = Stopwatch.GetTimestamp();
            await user.Client.StartAsync(cancellationToken);
            var (at, info) = await resumed.Task.WaitAsync(s_resumeTimeout, cancellationToken);
            return (at - started, info);
        }
        catch (TimeoutException)
        {
            return (0, null);
        }
        finally
        {
            user.Client.Resumed -= OnResumed;
        }
    }
}
