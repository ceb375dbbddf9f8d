using Hub.Server.Common;
using Hub.Server.Presence;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>Presence in Redis (cluster mode): a user is online while any node holds one of its connections.</summary>
internal sealed class RedisPresenceStore(RedisStoreConnection redis, NodeIdentity node, PresenceRemovalQueue removals) : IPresenceStore
{
    public Task<bool> AddConnectionAsync(string ns, string user, string connectionId, int maxConnections = int.MaxValue, int maxUsers = int.MaxValue,
        CancellationToken cancellationToken = default) =>
        RedisPresenceCommands.AddAsync(redis, node.Id, ns, user, connectionId, maxConnections, maxUsers, cancellationToken);

    public async Task<bool> RemoveConnectionAsync(string ns, string user, string connectionId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RedisPresenceCommands.RemoveAsync(redis, node.Id, ns, user, connectionId, cancellationToken);
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
        // The online set is kept per partition: one SMISMEMBER per partition of the users asked about.
        var online = new bool[users.Count];
        await Task.WhenAll(Enumerable.Range(0, users.Count).GroupBy(i => redis.Keys.UserPartition(users[i])).Select(async group =>
        {
            var values = group.Select(i => (RedisValue)users[i]).ToArray();
            var found = await redis.RunAsync(db => db.SetContainsAsync(redis.Keys.Online(ns, users[group.First()]), values), cancellationToken);
            var j = 0;
            foreach (var i in group)
            {
                online[i] = found[j++];
            }
        }));
        return online;
    }
}
