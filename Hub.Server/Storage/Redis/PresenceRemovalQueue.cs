using System.Collections.Concurrent;
using Hub.Server.Presence;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Closed connections whose removal from presence failed (Redis down while their client disconnected). The presence
/// store queues them here; <see cref="NodeHeartbeat"/> retries them at every beat until Redis takes them, so a Redis
/// outage leaves no one online for good. Its own class so that the store (which needs only <see cref="NodeIdentity"/>)
/// and the heartbeat share it without depending on each other.
/// </summary>
/// <param name="logger">Log.</param>
public sealed partial class PresenceRemovalQueue(ILogger<PresenceRemovalQueue> logger)
{
    private readonly ConcurrentDictionary<LiveConnection, byte> _pending = new();

    /// <summary>Whether no removal is waiting.</summary>
    public bool IsEmpty => _pending.IsEmpty;

    /// <summary>The removals waiting, in no order.</summary>
    public IReadOnlyCollection<LiveConnection> Pending => [.. _pending.Keys];

    /// <summary>
    /// Queues the removal of a closed connection whose removal from presence failed; the next beat that reaches Redis
    /// removes it (and announces its user offline if that was the last connection).
    /// </summary>
    /// <param name="connection">The closed connection.</param>
    public void Add(LiveConnection connection)
    {
        // Logged when the queue starts filling, not once per connection: an outage can close thousands.
        if (_pending.TryAdd(connection, 0) && _pending.Count == 1)
        {
            Log.RemovalQueued(logger, connection.Ns, connection.User, connection.ConnectionId);
        }
    }

    /// <summary>Drops a removal that succeeded.</summary>
    /// <param name="connection">The connection now gone from presence.</param>
    public void Remove(LiveConnection connection) => _pending.TryRemove(connection, out _);
}
