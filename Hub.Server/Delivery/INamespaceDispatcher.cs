using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>
/// A namespace's <see cref="DeliveryDispatcher{THub}"/> without its hub type: what health, stats and shutdown ask of
/// every namespace's dispatcher alike.
/// </summary>
public interface INamespaceDispatcher
{
    /// <summary>The namespace it delivers to.</summary>
    HubNamespace Namespace { get; }

    /// <summary>Number of connections of the namespace on this node.</summary>
    int ConnectionCount { get; }

    /// <summary>This node's connections of the namespace (user, connection id): registered and not yet disconnected.</summary>
    IReadOnlyList<(string User, string ConnectionId)> SnapshotConnections();

    /// <summary>Completes once the store subscription is in place (readiness).</summary>
    Task Subscribed { get; }

    /// <summary>Asks every connection of this node to reconnect elsewhere and closes it (see the dispatcher).</summary>
    /// <returns>How many connections were closed.</returns>
    Task<int> CloseConnectionsForShutdownAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
