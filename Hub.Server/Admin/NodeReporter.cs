using Hub.Server.Common;
using Hub.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Hub.Server.Admin;

/// <summary>
/// Every <see cref="AdminOptions.SampleInterval"/>: closes a throughput sample and publishes this node's report (its
/// connections per namespace and its samples) to the store, where every node's overview reads it. The report lives
/// for three intervals, so a node that stops reporting drops out of the overview on its own.
/// </summary>
/// <param name="store">Where reports go.</param>
/// <param name="sampler">This node's samples.</param>
/// <param name="dispatchers">Each namespace's dispatcher (its connection count).</param>
/// <param name="options">Admin options.</param>
/// <param name="time">Clock.</param>
/// <param name="logger">Log.</param>
public sealed partial class NodeReporter(IOverviewStore store, ThroughputSampler sampler, IEnumerable<INamespaceDispatcher> dispatchers,
    IOptions<AdminOptions> options, TimeProvider time, ILogger<NodeReporter> logger) : BackgroundService
{
    private readonly TimeSpan _interval = options.Value.SampleInterval;
    private bool _failing;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, time);
        try
        {
            // The first report goes out at start, so a fresh node is listed before its first sample.
            await ReportAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                sampler.Sample();
                await ReportAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var connections = dispatchers.ToDictionary(d => d.Namespace.Name, d => d.ConnectionCount, StringComparer.Ordinal);
        try
        {
            await store.PublishNodeAsync(new NodeReport(store.NodeId, connections, sampler.Samples), _interval * 3, cancellationToken);
            _failing = false;
        }
        catch (StoreUnavailableException ex)
        {
            // Redis down: readiness and the heartbeat already say so; log once per outage, retry on the next tick.
            if (!_failing)
            {
                _failing = true;
                Log.ReportFailed(logger, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }
}
