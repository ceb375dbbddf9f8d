namespace Hub.Server.Presence;

/// <summary>
/// Who is online, per namespace: a user is online while it has at least one live connection on any node.
/// Also remembers every user that ever connected (the audience of a notification to <c>all</c>).
/// </summary>
public interface IPresenceStore
{
    /// <summary>
    /// Records a live connection; returns <c>true</c> when this made the user come online. Refuses (recording nothing)
    /// when the user already has <paramref name="maxConnections"/> connections, on any node
    /// (<see cref="PresenceErrors.TooManyConnections"/>), or when the user is new to a namespace that already knows
    /// <paramref name="maxUsers"/> users (<see cref="PresenceErrors.TooManyUsers"/>): every known user may own a
    /// pending queue, so this bounds the number of queues.
    /// </summary>
    Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets a connection; returns <c>true</c> when this made the user go offline. A store that cannot be reached
    /// now (Redis) does not fail: it retries the removal until it succeeds and announces the user offline then.
    /// </summary>
    Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>The live connection ids of a user, on every node.</summary>
    Task<IReadOnlyList<string>> GetConnectionsAsync(string ns, string user, CancellationToken cancellationToken = default);

    /// <summary>For each user, whether it is online; same order as <paramref name="users"/>.</summary>
    Task<IReadOnlyList<bool>> AreOnlineAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken = default);
}
