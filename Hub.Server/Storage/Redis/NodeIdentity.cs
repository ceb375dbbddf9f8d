namespace Hub.Server.Storage.Redis;

/// <summary>
/// This node's id in Redis, made fresh at every start: the presence store files each connection under it
/// (<c>node-conns:{id}</c>) and <see cref="NodeHeartbeat"/> keeps it alive, so that other nodes can reap those
/// connections when this process dies without a goodbye.
/// </summary>
public sealed class NodeIdentity
{
    /// <summary>The id: 12 hex digits, random.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];
}
