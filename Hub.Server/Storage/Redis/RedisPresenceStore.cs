using Hub.Server.Common;
using Hub.Server.Presence;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>Presence in Redis (cluster mode): a user is online while any node holds one of its connections.</summary>
internal sealed class RedisPresenceStore(RedisStoreConnection redis, NodeIdentity node, PresenceRemovalQueue removals) : IPresenceStore
{
    public async Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        var reply = (long)await redis.EvaluateAsync(RedisScripts.PresenceAdd,
            [redis.Keys.Base(ns), user, connectionId, redis.Keys.NodeConnections(node.Id), ns, maxConnections, maxUsers], cancellationToken);
        return reply switch
        {
            -1 => throw PresenceErrors.TooManyConnections(maxConnections),
            -2 => throw PresenceErrors.TooManyUsers(maxUsers),
            _ => reply == 1,
        };
    }

    public async Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (long)(await redis.EvaluateAsync(RedisScripts.PresenceRemove,
                [redis.Keys.Base(ns), user, connectionId, redis.Keys.NodeConnections(node.Id), ns], cancellationToken)) == 1;
        }
        catch (StoreUnavailableException)
        {
            // The connection is closed whatever Redis says: the heartbeat retries the removal at each beat until Redis
            // takes it (and announces the user offline then), so a Redis outage leaves no one online for good.
            removals.Add(new LiveConnection(ns, user, connectionId));
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> GetConnectionsAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var members = await redis.RunAsync(db => db.SetMembersAsync(redis.Keys.Connections(ns, user)), cancellationToken);
        return [.. members.Select(m => (string)m!)];
    }

    public async Task<IReadOnlyList<bool>> AreOnlineAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken = default)
    {
        if (users.Count == 0)
        {
            return [];
        }
        var values = users.Select(u => (RedisValue)u).ToArray();
        return await redis.RunAsync(db => db.SetContainsAsync(redis.Keys.Online(ns), values), cancellationToken);
    }
}
