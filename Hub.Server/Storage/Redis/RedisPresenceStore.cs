using Hub.Redis;
using Hub.Server.Presence;

namespace Hub.Server.Storage.Redis;

/// <summary>Presence in Redis (cluster mode): a user is online while any node holds one of its connections.</summary>
internal sealed class RedisPresenceStore(RedisStoreConnection redis, RedisNode node) : IPresenceStore
{
    public async Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default)
    {
        var reply = (await redis.EvaluateAsync(RedisScripts.PresenceAdd,
            [redis.Keys.Base(ns), user, connectionId, redis.Keys.NodeConnections(node.Id), ns, maxConnections, maxUsers], cancellationToken)).AsInt64();
        return reply switch
        {
            -1 => throw PresenceErrors.TooManyConnections(maxConnections),
            -2 => throw PresenceErrors.TooManyUsers(maxUsers),
            _ => reply == 1,
        };
    }

    public async Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default) =>
        (await redis.EvaluateAsync(RedisScripts.PresenceRemove, [redis.Keys.Base(ns), user, connectionId, redis.Keys.NodeConnections(node.Id), ns], cancellationToken)).AsInt64() == 1;

    public async Task<IReadOnlyList<string>> GetConnectionsAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync("SMEMBERS", [redis.Keys.Connections(ns, user)], cancellationToken);
        return [.. Enumerable.Range(0, reply.Count).Select(i => reply[i].AsString()!)];
    }

    public async Task<IReadOnlyList<bool>> AreOnlineAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken = default)
    {
        if (users.Count == 0)
        {
            return [];
        }
        var args = new RedisValue[users.Count + 1];
        args[0] = redis.Keys.Online(ns);
        for (var i = 0; i < users.Count; i++)
        {
            args[i + 1] = users[i];
        }
        var reply = await redis.ExecuteAsync("SMISMEMBER", args, cancellationToken);
        return [.. Enumerable.Range(0, reply.Count).Select(i => reply[i].AsInt64() == 1)];
    }
}
