using Hub.Server.Delivery;
using Hub.Server.Presence;

namespace Hub.Server.Hubs;

/// <summary>This node's connections of both namespaces, as their dispatchers hold them.</summary>
public sealed class DispatcherLiveConnections(DeliveryDispatcher<ChatHub> chat, DeliveryDispatcher<NotificationsHub> notifications) : ILiveConnections
{
    /// <inheritdoc/>
    public IReadOnlyList<LiveConnection> Snapshot() =>
    [
        .. chat.SnapshotConnections().Select(c => new LiveConnection(ChatHub.Namespace.Name, c.User, c.ConnectionId)),
        .. notifications.SnapshotConnections().Select(c => new LiveConnection(NotificationsHub.Namespace.Name, c.User, c.ConnectionId)),
    ];
}
