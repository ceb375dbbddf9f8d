using Hub.Server.Telemetry;

namespace Hub.Server.Presence;

/// <summary>
/// Every presence store call measured and traced (<see cref="StoreCalls"/>), whichever store is behind it: each connect
/// and disconnect makes one, and every room change and member list reads it.
/// </summary>
internal sealed class MeasuredPresenceStore(IPresenceStore inner, StoreCalls calls) : IPresenceStore
{
    public Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("presence_add", ns, () => inner.AddConnectionAsync(ns, user, connectionId, maxConnections, maxUsers, cancellationToken), cancellationToken);

    public Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("presence_remove", ns, () => inner.RemoveConnectionAsync(ns, user, connectionId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GetConnectionsAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("presence_connections", ns, () => inner.GetConnectionsAsync(ns, user, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<bool>> AreOnlineAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("presence_online", ns, () => inner.AreOnlineAsync(ns, users, cancellationToken), cancellationToken);
}
