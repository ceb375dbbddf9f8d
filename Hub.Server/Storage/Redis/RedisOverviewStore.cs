using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hub.Server.Admin;
using Hub.Server.Common;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Cluster mode's overview data. Each node writes its report to <c>node-report:{id}</c> with a TTL; the overview lists
/// the nodes in <c>nodes</c> that have one, with their heartbeat age from the heartbeat key's remaining TTL. Rooms are
/// read from <c>room-names</c> (the first by name), queue depths from the devices' cursors of users from the partitions' <c>known</c> sets, each in pipelined
/// batches and capped by the caller: the overview costs nothing on the send and ack paths, and a bounded amount
/// when an operator looks.
/// </summary>
internal sealed class RedisOverviewStore(RedisStoreConnection redis, NodeIdentity node, IOptions<RedisOptions> options) : IOverviewStore
{
    private static readonly RedisScript InfoScript = new("return redis.call('INFO')");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeSpan _nodeTimeout = options.Value.NodeTimeout;

    /// <inheritdoc/>
    public string NodeId => node.Id;

    /// <inheritdoc/>
    // Wire format: node-report:{id} = {"id":"3f2a…","connections":{"chat":2,"notifications":0},
    //   "samples":[{"at":1764556800,"stored":3,"delivered":6,"resumes":1},…]}
    public Task PublishNodeAsync(NodeReport report, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        redis.RunAsync(db => db.StringSetAsync(redis.Keys.NodeReport(node.Id), JsonSerializer.Serialize(report, Json), timeToLive), cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReportedNode>> GetNodesAsync(int max, CancellationToken cancellationToken = default)
    {
        var keys = redis.Keys;
        var ids = await redis.RunAsync(async db =>
        {
            var found = new List<string>();
            await foreach (var id in db.SetScanAsync(keys.Nodes, pageSize: Math.Min(max, 1000)))
            {
                found.Add((string)id!);
                if (found.Count >= max)
                {
                    break;
                }
            }
            return found;
        }, cancellationToken);
        var replies = await redis.RunAsync(db => Task.WhenAll(ids.Select(async id =>
            (Id: id, Report: await db.StringGetAsync(keys.NodeReport(id)), Ttl: await db.KeyTimeToLiveAsync(keys.Node(id))))), cancellationToken);
        var nodes = new List<ReportedNode>();
        foreach (var (id, json, ttl) in replies.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            // Decodes the format written by PublishNodeAsync.
            if (json.IsNullOrEmpty || JsonSerializer.Deserialize<NodeReport>((string)json!, Json) is not { } report)
            {
                continue; // a node that has not reported yet, or stopped: its report expired
            }
            // The heartbeat key is set with NodeTimeout: what is gone of it is its age. Expired: older than NodeTimeout.
            var age = ttl is { } left ? _nodeTimeout - left : _nodeTimeout;
            nodes.Add(new ReportedNode(report, age < TimeSpan.Zero ? TimeSpan.Zero : age));
        }
        return nodes;
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<RoomCounts> Rooms, long Total)> GetRoomsAsync(string ns, int max, CancellationToken cancellationToken = default)
    {
        var keys = redis.Keys;
        return await redis.RunAsync(async db =>
        {
            var totalTask = db.SortedSetLengthAsync(keys.RoomNames(ns));
            var names = await db.SortedSetRangeByRankAsync(keys.RoomNames(ns), 0, max - 1);
            var rooms = await Task.WhenAll(names.Select(async n =>
            {
                var name = (string)n!;
                var members = db.SetLengthAsync(keys.Members(ns, name));
                var seq = db.HashGetAsync(keys.Room(ns, name), "seq");
                return new RoomCounts(name, (int)await members, (long?)await seq ?? 0);
            }));
            return ((IReadOnlyList<RoomCounts>)rooms, await totalTask);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<QueueDepth> Deepest, int Scanned)> GetDeepestQueuesAsync(string ns, int scan, int batch, int top,
        CancellationToken cancellationToken = default)
    {
        var keys = redis.Keys;
        return await redis.RunAsync(async db =>
        {
            var deepest = new List<QueueDepth>();
            var users = new List<string>(batch);
            var scanned = 0;
            // Known users are kept per partition: scanned partition by partition until `scan` users were measured.
            for (var partition = 0; partition < keys.Partitions && scanned < scan; partition++)
            {
                await foreach (var user in db.SetScanAsync(keys.Known(ns, partition), pageSize: batch))
                {
                    users.Add((string)user!);
                    if (users.Count == batch || scanned + users.Count >= scan)
                    {
                        scanned += await MeasureAsync(db, ns, users, deepest, top);
                        if (scanned >= scan)
                        {
                            break;
                        }
                    }
                }
            }
            scanned += await MeasureAsync(db, ns, users, deepest, top);
            return ((IReadOnlyList<QueueDepth>)deepest, scanned);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<StoreOverview> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            await redis.RunAsync(db => db.PingAsync(), cancellationToken);
            var roundTrip = Math.Round(watch.Elapsed.TotalMilliseconds, 2);
            string info;
            try
            {
                // StackExchange.Redis sends INFO only on admin connections (allowAdmin, which also opens FLUSHALL and
                // the like); a script may run it, and keeps the node's connection an ordinary one.
                info = (string?)await redis.EvaluateAsync(InfoScript, cancellationToken) ?? "";
            }
            catch (RedisServerException ex)
            {
                // An ACL that forbids INFO: the store answers, its figures stay unknown.
                return new StoreOverview("redis", true, roundTrip, Error: ex.Message);
            }
            return new StoreOverview("redis", true, roundTrip, InfoField(info, "used_memory"), InfoField(info, "connected_clients"));
        }
        catch (StoreUnavailableException ex)
        {
            return new StoreOverview("redis", false, Error: ex.InnerException?.Message ?? ex.Message);
        }
    }

    // Pipelined rounds for `users` (then cleared): each user's depth is an approximation, for the device furthest behind,
    // of the sum over its stream and rooms of the scope's last sequence number minus the device's cursor there (or
    // where it joined); what the bounds trimmed still counts. Keeps `deepest` the `top` deepest so far, deepest first.
    private async Task<int> MeasureAsync(IDatabase db, string ns, List<string> users, List<QueueDepth> deepest, int top)
    {
        if (users.Count == 0)
        {
            return 0;
        }
        var keys = redis.Keys;
        var states = await Task.WhenAll(users.Select(async u =>
        {
            var b = keys.Base(ns, keys.UserPartition(u));
            var devices = db.HashKeysAsync(b + "devices:" + u);
            var rooms = db.HashGetAllAsync(b + "user-rooms:" + u);
            var seq = db.HashGetAsync(b + "user:" + u, "seq");
            var cursors = await Task.WhenAll((await devices).Select(d => db.HashGetAllAsync(b + "cursors:" + u + ":" + (string)d!)));
            return (User: u, Cursors: cursors, Rooms: await rooms, Seq: (long?)await seq ?? 0);
        }));
        var roomNames = states.SelectMany(s => s.Rooms.Select(r => (string)r.Name!)).Distinct(StringComparer.Ordinal).ToList();
        var roomSeqs = (await Task.WhenAll(roomNames.Select(r => db.HashGetAsync(keys.Room(ns, r), "seq"))))
            .Select((seq, i) => (roomNames[i], (long?)seq ?? 0)).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        foreach (var (user, cursors, rooms, seq) in states)
        {
            long pending = 0;
            foreach (var device in cursors)
            {
                var at = device.ToDictionary(c => (string)c.Name!, c => SeqOf(c.Value), StringComparer.Ordinal);
                var behind = Math.Max(0, seq - at.GetValueOrDefault("u"));
                foreach (var room in rooms)
                {
                    var name = (string)room.Name!;
                    var from = Math.Max(SeqOf(room.Value), at.GetValueOrDefault("r/" + name));
                    behind += Math.Max(0, roomSeqs.GetValueOrDefault(name) - from);
                }
                pending = Math.Max(pending, behind);
            }
            if (pending > 0)
            {
                deepest.Add(new QueueDepth(user, pending));
            }
        }
        var count = users.Count;
        var kept = deepest.OrderByDescending(q => q.Pending).ThenBy(q => q.User, StringComparer.Ordinal).Take(top).ToList();
        deepest.Clear();
        deepest.AddRange(kept);
        users.Clear();
        return count;
    }

    // The sequence number of a position "{ms}-{seq}".
    private static long SeqOf(RedisValue position) =>
        Delivery.MessageId.TryParse((string?)position, out var id) ? id.Counter : 0;

    // INFO's reply is "field:value" lines under "# Section" headers.
    private static long? InfoField(string info, string field)
    {
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(field.Length + 1).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}
