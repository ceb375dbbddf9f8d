using Hub.Bench.Measurement;

namespace Hub.Bench.Reporting;

/// <summary>Everything one scenario run measured; serialized as is by <c>--json</c>.</summary>
public sealed class ScenarioResult
{
    /// <summary>Scenario name: fanout, direct, broadcast, reconnect, idle, stuck.</summary>
    public required string Scenario { get; init; }

    /// <summary>Topology label: embedded, redis, cluster-3, external.</summary>
    public required string Mode { get; init; }

    /// <summary>The scenario's parameters in words, e.g. <c>1 room x 50 members x 5 pub @ 2000/s</c>.</summary>
    public required string Parameters { get; init; }

    /// <summary>Length of the measured window in seconds.</summary>
    public double MeasuredSeconds { get; set; }

    /// <summary>Target send rate (messages/s); 0 for as fast as possible.</summary>
    public double TargetRate { get; set; }

    /// <summary>Sends confirmed by the server (whole run, warm-up included).</summary>
    public long Sent { get; set; }

    /// <summary>Sends that failed.</summary>
    public long SendErrors { get; set; }

    /// <summary>Confirmed sends per second in the measured window.</summary>
    public double SentPerSecond { get; set; }

    /// <summary>Deliveries received (whole run).</summary>
    public long Delivered { get; set; }

    /// <summary>Deliveries per second in the measured window.</summary>
    public double DeliveredPerSecond { get; set; }

    /// <summary>End-to-end latency (intended send time to receive) of measured live deliveries.</summary>
    public LatencySummary? Latency { get; set; }

    /// <summary>Time from send to the server's result (stored for every recipient).</summary>
    public LatencySummary? SendLatency { get; set; }

    /// <summary>Confirmed messages a recipient never received (must be 0).</summary>
    public long Lost { get; set; }

    /// <summary>Messages a recipient received more than once (must be 0).</summary>
    public long Duplicates { get; set; }

    /// <summary>Messages received after a later message of the same sender.</summary>
    public long OutOfOrder { get; set; }

    /// <summary>Connections that dropped and reconnected on their own during the run.</summary>
    public long Reconnects { get; set; }

    /// <summary>CPU and memory during the measured window (plus drain).</summary>
    public ResourceUsage? Resources { get; set; }

    /// <summary>Deliveries counted in the same window as <see cref="Resources"/>.</summary>
    public long WindowDeliveries { get; set; }

    /// <summary>Server-node CPU per delivered message, in microseconds.</summary>
    public double? ServerCpuUsPerDelivery { get; set; }

    /// <summary>Server plus redis-server CPU per delivered message, in microseconds: the headline cost.</summary>
    public double? StoreCpuUsPerDelivery { get; set; }

    /// <summary>nginx CPU per delivered message, in microseconds (cluster mode).</summary>
    public double? ProxyCpuUsPerDelivery { get; set; }

    /// <summary>This load generator's CPU per delivered message, in microseconds.</summary>
    public double? BenchCpuUsPerDelivery { get; set; }

    /// <summary>Scenario-specific figures (resume times, memory per connection, ...).</summary>
    public Dictionary<string, double> Extra { get; } = [];

    /// <summary>What the reader should know about this run.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Why the run failed, if it did.</summary>
    public string? Error { get; set; }

    /// <summary>Fills the per-delivery CPU figures from <see cref="Resources"/> and <see cref="WindowDeliveries"/>.</summary>
    public void ComputeCpuPerDelivery()
    {
        if (Resources is not { } r || WindowDeliveries <= 0)
        {
            return;
        }

        ServerCpuUsPerDelivery = r.ServerCpuMs * 1000 / WindowDeliveries;
        StoreCpuUsPerDelivery = (r.ServerCpuMs + r.RedisCpuMs) * 1000 / WindowDeliveries;
        ProxyCpuUsPerDelivery = r.ProxyCpuMs > 0 ? r.ProxyCpuMs * 1000 / WindowDeliveries : null;
        BenchCpuUsPerDelivery = r.BenchCpuMs * 1000 / WindowDeliveries;
    }
}
