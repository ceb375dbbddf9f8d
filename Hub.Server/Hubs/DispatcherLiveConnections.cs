using Hub.Server.Delivery;
using Hub.Server.Presence;

namespace Hub.Server.Hubs;

/// <summary>This node's connections of every namespace, as their dispatchers hold them.</summary>
public sealed class DispatcherLiveConnections(IEnumerable<INamespaceDispatcher> dispatchers) : ILiveConnections
{
    /// <inheritdoc/>
    public IReadOnlyList<LiveConnection> Snapshot() =>
        [.. dispatchers.SelectMany(d => d.SnapshotConnections().Select(c => new LiveConnection(d.Namespace.Name, c.User, c.ConnectionId)))];
}
