using Hub.Server.Telemetry;

namespace Hub.Server.Admin;

/// <summary>
/// Every overview store call measured and traced (<see cref="StoreCalls"/>), whichever store is behind it: the node's
/// heartbeat report, the pending sampler's scan and each load of the admin page. The node-wide calls (reports, nodes,
/// status) carry no namespace.
/// </summary>
internal sealed class MeasuredOverviewStore(IOverviewStore inner, StoreCalls calls) : IOverviewStore
{
    public string NodeId => inner.NodeId;

    public Task PublishNodeAsync(NodeReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("overview_publish_node", null, async () =>
        {
            await inner.PublishNodeAsync(report, timeToLive, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ReportedNode>> GetNodesAsync(int max, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("overview_nodes", null, () => inner.GetNodesAsync(max, cancellationToken), cancellationToken);

    public Task<(IReadOnlyList<RoomCounts> Rooms, long Total)> GetRoomsAsync(string ns, int max, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("overview_rooms", ns, () => inner.GetRoomsAsync(ns, max, cancellationToken), cancellationToken);

    public Task<(IReadOnlyList<QueueDepth> Deepest, int Scanned)> GetDeepestQueuesAsync(string ns, int scan, int batch, int top,
        CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("overview_deepest", ns, () => inner.GetDeepestQueuesAsync(ns, scan, batch, top, cancellationToken), cancellationToken);

    public Task<StoreOverview> GetStatusAsync(CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("overview_status", null, () => inner.GetStatusAsync(cancellationToken), cancellationToken);
}
