using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// This node's <see cref="HubConnectionContext"/>s of one hub, by connection id, filled by
/// <see cref="ConnectionTrackingHubLifetimeManager{THub}"/>. A hub only sees a <see cref="HubCallerContext"/>; the
/// dispatcher needs the connection itself to write pre-serialized messages to it.
/// </summary>
/// <typeparam name="THub">The hub.</typeparam>
internal sealed class HubConnectionRegistry<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);

    /// <summary>Registers a connection (before the hub's <c>OnConnectedAsync</c> runs).</summary>
    public void Add(HubConnectionContext connection) => _connections[connection.ConnectionId] = connection;

    /// <summary>Forgets a connection (after the hub's <c>OnDisconnectedAsync</c> ran).</summary>
    public void Remove(HubConnectionContext connection) => _connections.TryRemove(connection.ConnectionId, out _);

    /// <summary>The connection with <paramref name="connectionId"/>, or null when it is not (or no longer) on this node.</summary>
    public HubConnectionContext? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);
}
