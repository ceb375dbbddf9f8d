using Hub.Server.Delivery;
using Hub.Server.Admin;

namespace Hub.Server.Storage.InMemory;

/// <summary>The embedded mode's overview data: one node (this process), its rooms and queues read under each namespace's lock.</summary>
internal sealed class InMemoryOverviewStore(InMemoryState state, TimeProvider time) : IOverviewStore
{
    private (NodeReport Report, DateTimeOffset At)? _last;

    /// <inheritdoc/>
    public string NodeId => "embedded";

    /// <inheritdoc/>
    public Task PublishNodeAsync(NodeReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        // The only reader is this process, which outlives the report, so the time to live has nothing to expire.
        _last = (report, time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ReportedNode>> GetNodesAsync(int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReportedNode>>(_last is { } last ? [new ReportedNode(last.Report, time.GetUtcNow() - last.At)] : []);

    /// <inheritdoc/>
    public Task<(IReadOnlyList<RoomCounts> Rooms, long Total)> GetRoomsAsync(string ns, int max, CancellationToken cancellationToken = default)
    {
        var space = state.For(ns);
        lock (space.Gate)
        {
            IReadOnlyList<RoomCounts> rooms = [.. space.RoomNames.Take(max).Select(name => space.Rooms[name]).Select(r => new RoomCounts(r.Info.Name, r.Members.Count, r.Seq))];
            return Task.FromResult((rooms, (long)space.RoomNames.Count));
        }
    }

    /// <inheritdoc/>
    public Task<(IReadOnlyList<QueueDepth> Deepest, int Scanned)> GetDeepestQueuesAsync(string ns, int scan, int batch, int top,
        CancellationToken cancellationToken = default)
    {
        // Counting is cheap here (positions are consecutive per log), so there is nothing to batch.
        var space = state.For(ns);
        lock (space.Gate)
        {
            var measured = space.Devices.Take(scan).Select(u => new QueueDepth(u.Key, Pending(space, u.Key, u.Value.Values))).ToList();
            IReadOnlyList<QueueDepth> deepest = [.. measured.Where(q => q.Pending > 0).OrderByDescending(q => q.Pending)
                .ThenBy(q => q.User, StringComparer.Ordinal).Take(top)];
            return Task.FromResult((deepest, measured.Count));
        }
    }

    /// <inheritdoc/>
    public Task<StoreOverview> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoreOverview("embedded", Reachable: true));

    // A user's pending depth: what its furthest-behind device has not acknowledged, over every scope it reads.
    private static int Pending(InMemoryNamespace space, string user, IEnumerable<InMemoryDevice> devices)
    {
        var logs = new List<(DeliveryScope Scope, InMemoryLog Log, MessageId Start)> { (DeliveryScope.User, space.StreamOf(user), default) };
        foreach (var room in space.RoomsOf(user))
        {
            logs.Add((DeliveryScope.Room(room), space.Rooms[room].Log, space.JoinedAt.GetValueOrDefault((user, room))));
        }
        var deepest = 0L;
        foreach (var device in devices)
        {
            long pending = 0;
            foreach (var (scope, log, start) in logs)
            {
                var cursor = device.Cursors.TryGetValue(scope, out var c) && c > start ? c.Counter : start.Counter;
                pending += Math.Min(log.Count, Math.Max(0, log.Last.Counter - cursor));
            }
            deepest = Math.Max(deepest, pending);
        }
        return (int)Math.Min(deepest, int.MaxValue);
    }
}
