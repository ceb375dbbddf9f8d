using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>
/// Idle connections: what one more connected user costs the server in memory, and what keep-alives cost in CPU
/// while nobody talks. A first batch is connected before the baseline so JIT, pools and caches are not charged to
/// the connections.
/// </summary>
/// <param name="Connections">Connections (one user each) measured.</param>
/// <param name="Hold">How long they stay idle for the CPU figure.</param>
public sealed record IdleConnectionsScenario(int Connections, TimeSpan Hold) : IScenario
{
    private const int WarmupConnections = 100;

    /// <inheritdoc/>
    public string Name => "idle";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture, $"{Connections:N0} idle connections, {Hold.TotalSeconds:0} s");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Connections, 1);
        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        await pool.ConnectAsync([.. Enumerable.Range(0, WarmupConnections).Select(i => $"{context.RunId}-w{i}")], 0, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var baseline = context.Monitor.Start();

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Setup.ConnectAsync(pool, [.. Enumerable.Range(0, Connections).Select(i => $"{context.RunId}-c{i}")], 0, context, Name, cancellationToken);
        var connectSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        // Let connect-time garbage be collected and the resume of every (empty) queue finish before reading memory.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var connected = context.Monitor.Snapshot();
        await using (ProgressLine.Start(context.Label(Name), () => $"holding {pool.Connected:N0} connections", context.Monitor, context.Run.Quiet))
        {
            await Task.Delay(Hold, cancellationToken);
        }

        var held = context.Monitor.Snapshot();
        var memory = context.Monitor.Between(baseline, connected);
        var idle = context.Monitor.Between(connected, held);
        result.Resources = idle;
        result.MeasuredSeconds = idle.WallSeconds;

        double RssDelta(ProcessRole role) => (Rss(connected, role) - Rss(baseline, role)) / 1024.0 / Connections;
        result.Extra["connections"] = Connections;
        result.Extra["connect_per_s"] = Connections / connectSeconds;
        result.Extra["server_kb_per_conn"] = RssDelta(ProcessRole.Server);
        result.Extra["redis_kb_per_conn"] = RssDelta(ProcessRole.Redis);
        result.Extra["proxy_kb_per_conn"] = RssDelta(ProcessRole.Proxy);
        result.Extra["bench_kb_per_conn"] = RssDelta(ProcessRole.Bench);
        result.Extra["server_rss_mb"] = memory.ServerRssEndMb;
        result.Extra["server_peak_rss_mb"] = memory.ServerPeakRssMb;
        result.Extra["idle_server_cpu_us_per_conn_s"] = idle.ServerCpuMs * 1000 / Connections / idle.WallSeconds;
        result.Extra["idle_redis_cpu_us_per_conn_s"] = idle.RedisCpuMs * 1000 / Connections / idle.WallSeconds;
        result.Reconnects = pool.Users.Sum(u => u.Reconnects);
        return result;
    }

    private static long Rss(ResourceSnapshot snapshot, ProcessRole role) =>
        snapshot.Processes.Where(p => p.Process.Role == role).Sum(p => p.Sample.RssBytes);
}
