using System.Globalization;

namespace Hub.Testing;

/// <summary>One node of a <see cref="RedisCluster"/> as the cluster saw it when asked (roles change on a failover).</summary>
public sealed class RedisClusterNode
{
    private readonly IReadOnlyList<(int First, int Last)> _slots;

    private RedisClusterNode(string id, int port, bool isMaster, string? masterId, IReadOnlyList<(int First, int Last)> slots, bool isHealthy)
    {
        Id = id;
        Port = port;
        IsMaster = isMaster;
        MasterId = masterId;
        IsHealthy = isHealthy;
        _slots = slots;
    }

    /// <summary>The node's cluster id (40 hex digits).</summary>
    public string Id { get; }

    /// <summary>Its loopback client port.</summary>
    public int Port { get; }

    /// <summary>True for a master, false for a replica.</summary>
    public bool IsMaster { get; }

    /// <summary>The <see cref="Id"/> of the master a replica copies; null for a master.</summary>
    public string? MasterId { get; }

    /// <summary>False while the node that was asked counts this one as failing, still joining, or without an address.</summary>
    public bool IsHealthy { get; }

    /// <summary>Whether this node (a master) serves <paramref name="slot"/>.</summary>
    public bool Serves(int slot) => _slots.Any(range => range.First <= slot && slot <= range.Last);

    /// <summary>For messages: <c>7001 master 0-5460</c>, <c>7004 replica of 7001's id</c>.</summary>
    public override string ToString() => IsMaster
        ? $"{Port} master {string.Join(',', _slots.Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}-{r.Last}"))}{(IsHealthy ? "" : " (failing)")}"
        : $"{Port} replica of {MasterId}{(IsHealthy ? "" : " (failing)")}";

    // One line of CLUSTER NODES:
    // <id> <ip:port@cport[,hostname]> <flags,...> <master id or -> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot> <slot-slot> [<slot->-id>] ...
    // e.g. 6efa...65 127.0.0.1:7001@17001 myself,master - 0 1796098039000 1 connected 0-5460
    internal static RedisClusterNode Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var address = fields[1];
        var port = int.Parse(address[(address.LastIndexOf(':') + 1)..address.IndexOf('@')], CultureInfo.InvariantCulture);
        var flags = fields[2].Split(',');
        var slots = fields.Skip(8).Where(slot => !slot.StartsWith('[')).Select(slot =>
        {
            var bounds = slot.Split('-');
            return (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
        }).ToList();
        var healthy = !flags.Any(flag => flag is "fail" or "fail?" or "handshake" or "noaddr") && fields[7] == "connected";
        return new(fields[0], port, flags.Contains("master"), fields[3] == "-" ? null : fields[3], slots, healthy);
    }
}
