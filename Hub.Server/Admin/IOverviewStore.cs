namespace Hub.Server.Admin;

/// <summary>
/// What the admin overview reads from the store, every read bounded by its caller's limits. Implementations: in
/// memory (embedded mode: one node) and Redis (cluster mode: every node reports into a key of its own with a TTL).
/// </summary>
public interface IOverviewStore
{
    /// <summary>This node's id (cluster mode: the one its heartbeat renews).</summary>
    string NodeId { get; }

    /// <summary>Stores this node's report for the other nodes' overviews; it expires after <paramref name="timeToLive"/>.</summary>
    Task PublishNodeAsync(NodeReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> live nodes' last reports, with their heartbeat ages.</summary>
    Task<IReadOnlyList<ReportedNode>> GetNodesAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> rooms of <paramref name="ns"/> (the first by name), and how many it has in all.</summary>
    Task<(IReadOnlyList<RoomCounts> Rooms, long Total)> GetRoomsAsync(string ns, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="top"/> deepest pending queues among up to <paramref name="scan"/> users of <paramref name="ns"/>
    /// (asked <paramref name="batch"/> at a time), and how many users were measured.
    /// </summary>
    Task<(IReadOnlyList<QueueDepth> Deepest, int Scanned)> GetDeepestQueuesAsync(string ns, int scan, int batch, int top,
        CancellationToken cancellationToken = default);

    /// <summary>The store's health (never throws for an unreachable store: it says so).</summary>
    Task<StoreOverview> GetStatusAsync(CancellationToken cancellationToken = default);
}
