using Hub.Server.Presence;

namespace Hub.Server.Storage.InMemory;

/// <summary>Presence in process memory (embedded mode: every connection is on this node).</summary>
internal sealed class InMemoryPresenceStore(InMemoryState state) : IPresenceStore
{
    public Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var existing = s.Connections.GetValueOrDefault(user);
            if (existing is not null && existing.Count >= maxConnections && !existing.Contains(connectionId))
            {
                throw PresenceErrors.TooManyConnections(maxConnections);
            }
            if (s.KnownUsers.Count >= maxUsers && !s.KnownUsers.Contains(user))
            {
                throw PresenceErrors.TooManyUsers(maxUsers);
            }
            s.KnownUsers.Add(user);
            if (existing is not { } connections)
            {
                s.Connections[user] = connections = new HashSet<string>(StringComparer.Ordinal);
            }
            return Task.FromResult(connections.Add(connectionId) && connections.Count == 1);
        }
    }

    public Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (!s.Connections.TryGetValue(user, out var connections) || !connections.Remove(connectionId))
            {
                return Task.FromResult(false);
            }
            if (connections.Count > 0)
            {
                return Task.FromResult(false);
            }
            s.Connections.Remove(user);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> GetConnectionsAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(s.Connections.TryGetValue(user, out var c) ? [.. c] : []);
        }
    }

    public Task<IReadOnlyList<bool>> AreOnlineAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            return Task.FromResult<IReadOnlyList<bool>>([.. users.Select(s.Connections.ContainsKey)]);
        }
    }
}
