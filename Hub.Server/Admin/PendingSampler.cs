using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Hub.Server.Admin;

/// <summary>
/// Every <see cref="AdminOptions.PendingSampleInterval"/>: measures each namespace's pending depth the way the admin
/// page does (up to <see cref="AdminOptions.MaxQueuesScanned"/> users, <see cref="AdminOptions.QueueScanBatch"/> at a
/// time) and hands it to the <c>hub.pending.*</c> gauges. Sampled, not maintained: keeping a running total would cost
/// a write per recipient on every send and per ack, where this costs one bounded scan per interval and node.
/// </summary>
/// <param name="store">Where queues are measured.</param>
/// <param name="dispatchers">The namespaces (one dispatcher each).</param>
/// <param name="metrics">The gauges.</param>
/// <param name="options">Admin options.</param>
/// <param name="time">Clock.</param>
/// <param name="logger">Log.</param>
public sealed partial class PendingSampler(IOverviewStore store, IEnumerable<INamespaceDispatcher> dispatchers, HubMetrics metrics,
    IOptions<AdminOptions> options, TimeProvider time, ILogger<PendingSampler> logger) : BackgroundService
{
    private readonly AdminOptions _options = options.Value;
    private bool _failing;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.PendingSampleInterval == TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(_options.PendingSampleInterval, time);
        try
        {
            do
            {
                await SampleAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var ns in dispatchers.Select(d => d.Namespace.Name))
            {
                // Every queue measured comes back (top = the scan's bound), so the total covers them all.
                var (queues, scanned) = await store.GetDeepestQueuesAsync(ns, _options.MaxQueuesScanned, _options.QueueScanBatch,
                    _options.MaxQueuesScanned, cancellationToken);
                metrics.PendingSampled(ns, queues.Sum(q => q.Pending), queues.Count == 0 ? 0 : queues.Max(q => q.Pending), scanned);
            }
            _failing = false;
        }
        catch (StoreUnavailableException ex)
        {
            // Redis down: readiness says so; the gauges keep the last sample, and the next tick tries again.
            if (!_failing)
            {
                _failing = true;
                Log.SampleFailed(logger, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }
}
