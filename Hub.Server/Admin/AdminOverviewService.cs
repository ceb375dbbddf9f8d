using Hub.Server.Common;
using Hub.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Hub.Server.Admin;

/// <summary>
/// Computes the admin overview from the store's node reports, rooms and queues. One overview answers every caller for
/// <see cref="AdminOptions.CacheDuration"/> and only one is computed at a time, so however many pages poll, the store
/// does at most one bounded scan per period. Room rates come from the rooms' sequence numbers over the sample window,
/// as this node saw them on earlier overviews.
/// </summary>
public sealed class AdminOverviewService(IOverviewStore store, IEnumerable<INamespaceDispatcher> dispatchers, IOptions<AdminOptions> options,
    TimeProvider time) : IDisposable
{
    private readonly AdminOptions _options = options.Value;
    private readonly string[] _namespaces = [.. dispatchers.Select(d => d.Namespace.Name)];
    private readonly SemaphoreSlim _computing = new(1, 1);
    // Earlier looks at each room ("ns|room"): (unix ms, seq), at most one per sample interval, within the sample window.
    private readonly Dictionary<string, Queue<(long At, long Seq)>> _looks = new(StringComparer.Ordinal);
    private AdminOverview? _last;

    /// <summary>The overview: the cached one if it is younger than <see cref="AdminOptions.CacheDuration"/>, else a new one.</summary>
    public async Task<AdminOverview> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_last) is { } cached)
        {
            return cached;
        }
        await _computing.WaitAsync(cancellationToken);
        try
        {
            return Fresh(_last) ?? (_last = await ComputeAsync(cancellationToken));
        }
        finally
        {
            _computing.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _computing.Dispose();

    private AdminOverview? Fresh(AdminOverview? overview) =>
        overview is not null && time.GetUtcNow() - overview.GeneratedAt < _options.CacheDuration ? overview : null;

    private async Task<AdminOverview> ComputeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var status = await store.GetStatusAsync(cancellationToken);
        var mode = status.Kind == "embedded" ? "embedded" : "cluster";
        var interval = (long)_options.SampleInterval.TotalSeconds;
        if (!status.Reachable)
        {
            // Nothing can be read; the page shows the store's error rather than a request failure.
            return new AdminOverview(mode, store.NodeId, now, [], [], new ThroughputOverview(interval, []), status);
        }
        try
        {
            var nodes = await store.GetNodesAsync(_options.MaxNodes, cancellationToken);
            var namespaces = new List<NamespaceOverview>();
            foreach (var ns in _namespaces)
            {
                namespaces.Add(await NamespaceAsync(ns, nodes, now, cancellationToken));
            }
            return new AdminOverview(mode, store.NodeId, now,
                [.. nodes.Select(n => new NodeOverview(n.Report.Id, Math.Round(n.HeartbeatAge.TotalSeconds, 1), n.Report.Connections))],
                namespaces, new ThroughputOverview(interval, Sum(nodes)), status);
        }
        catch (StoreUnavailableException ex)
        {
            return new AdminOverview(mode, store.NodeId, now, [], [], new ThroughputOverview(interval, []),
                status with { Reachable = false, Error = ex.InnerException?.Message ?? ex.Message });
        }
    }

    private async Task<NamespaceOverview> NamespaceAsync(string ns, IReadOnlyList<ReportedNode> nodes, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (rooms, total) = await store.GetRoomsAsync(ns, _options.MaxRoomsScanned, cancellationToken);
        var rated = Rate(ns, rooms, now.ToUnixTimeMilliseconds());
        var busiest = rated.OrderByDescending(r => r.MessagesPerMinute ?? 0).ThenByDescending(r => r.Members)
            .ThenBy(r => r.Name, StringComparer.Ordinal).Take(_options.TopRooms).ToList();
        var (deepest, scanned) = await store.GetDeepestQueuesAsync(ns, _options.MaxQueuesScanned, _options.QueueScanBatch, _options.TopQueues,
            cancellationToken);
        var connections = nodes.Sum(n => n.Report.Connections.GetValueOrDefault(ns));
        return new NamespaceOverview(ns, connections, total, rooms.Count, busiest, scanned, deepest);
    }

    // Called under _computing only.
    private List<RoomOverview> Rate(string ns, IReadOnlyList<RoomCounts> rooms, long nowMs)
    {
        var windowMs = (long)_options.SampleWindow.TotalMilliseconds;
        var spacingMs = (long)_options.SampleInterval.TotalMilliseconds;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<RoomOverview>(rooms.Count);
        foreach (var room in rooms)
        {
            var key = ns + "|" + room.Name;
            seen.Add(key);
            if (!_looks.TryGetValue(key, out var looks))
            {
                _looks[key] = looks = new Queue<(long At, long Seq)>();
            }
            while (looks.Count > 0 && nowMs - looks.Peek().At > windowMs)
            {
                looks.Dequeue();
            }
            if (looks.Count > 0 && looks.Peek().Seq > room.Seq)
            {
                looks.Clear(); // deleted and created again: its count started over
            }
            double? rate = looks.Count > 0 && nowMs > looks.Peek().At
                ? Math.Round((room.Seq - looks.Peek().Seq) * 60_000.0 / (nowMs - looks.Peek().At), 1)
                : null;
            if (looks.Count == 0 || nowMs - looks.Last().At >= spacingMs)
            {
                looks.Enqueue((nowMs, room.Seq));
            }
            result.Add(new RoomOverview(room.Name, room.Members, room.Seq, rate));
        }
        // Forget rooms gone from the scan (deleted, or pushed out by the cap), so memory follows the scan's bound.
        foreach (var key in _looks.Keys.Where(k => k.StartsWith(ns + "|", StringComparison.Ordinal) && !seen.Contains(k)).ToList())
        {
            _looks.Remove(key);
        }
        return result;
    }

    private static List<ThroughputSample> Sum(IReadOnlyList<ReportedNode> nodes) =>
        [.. nodes.SelectMany(n => n.Report.Samples).GroupBy(s => s.At).OrderBy(g => g.Key)
            .Select(g => new ThroughputSample(g.Key, g.Sum(s => s.Stored), g.Sum(s => s.Delivered), g.Sum(s => s.Resumes)))];
}
