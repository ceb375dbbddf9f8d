using Hub.Server.Presence;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Presence changes in Redis, shared by the presence store and the heartbeat. A user's connections, and the online and
/// known sets, live in the user's partition; the connections a node holds in the node's own set (another slot). The
/// node's set is written first and cleared last, so a node that dies between the two leaves nothing its reaper cannot
/// find; every step is idempotent, so two nodes reaping the same dead node report each user offline once.
/// </summary>
internal static class RedisPresenceCommands
{
    /// <summary>Records a connection under the limits; true when the user came online.</summary>
    public static async Task<bool> AddAsync(RedisStoreConnection redis, string node, string ns, string user, string connection, int maxConnections, int maxUsers,
        CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var entry = ns + "|" + user + "|" + connection;
        await redis.RunAsync(db => db.SetAddAsync(keys.NodeConnections(node), entry), cancellationToken);
        var reply = await AddToUserAsync(redis, ns, user, connection, maxConnections, admitted: false, cancellationToken);
        var admitted = false;
        if (reply[0] == -2)
        {
            // A user new to the namespace: counted in (Limits:MaxUsersPerNamespace) before it is recorded. Only a
            // user's first connection gets here, never a send.
            admitted = (long)await redis.EvaluateAsync(RedisScripts.KnownAdmit, keys.KnownCount(ns), [maxUsers], cancellationToken) == 1;
            reply = admitted ? await AddToUserAsync(redis, ns, user, connection, maxConnections, admitted: true, cancellationToken) : [-2];
            if (admitted && (reply[0] < 0 || reply[1] == 0))
            {
                // Refused after all, or another connection of the user was first: it is counted once.
                await redis.RunAsync(db => db.StringDecrementAsync(keys.KnownCount(ns)), cancellationToken);
            }
        }
        if (reply[0] < 0)
        {
            await redis.RunAsync(db => db.SetRemoveAsync(keys.NodeConnections(node), entry), cancellationToken);
            throw reply[0] == -1 ? PresenceErrors.TooManyConnections(maxConnections) : PresenceErrors.TooManyUsers(maxUsers);
        }
        return reply[0] == 1;
    }

    /// <summary>Forgets a connection; true when the user went offline.</summary>
    public static async Task<bool> RemoveAsync(RedisStoreConnection redis, string node, string ns, string user, string connection, CancellationToken cancellationToken)
    {
        var offline = await RemoveFromUserAsync(redis, ns, user, connection, cancellationToken);
        await redis.RunAsync(db => db.SetRemoveAsync(redis.Keys.NodeConnections(node), ns + "|" + user + "|" + connection), cancellationToken);
        return offline;
    }

    /// <summary>Records again a connection the node holds (no limits: it was accepted already); true when the user came online.</summary>
    public static async Task<bool> RestoreAsync(RedisStoreConnection redis, string node, string ns, string user, string connection, CancellationToken cancellationToken)
    {
        await redis.RunAsync(db => db.SetAddAsync(redis.Keys.NodeConnections(node), ns + "|" + user + "|" + connection), cancellationToken);
        var reply = await AddToUserAsync(redis, ns, user, connection, 0, admitted: true, cancellationToken);
        if (reply[1] == 1)
        {
            await redis.RunAsync(db => db.StringIncrementAsync(redis.Keys.KnownCount(ns)), cancellationToken);
        }
        return reply[0] == 1;
    }

    /// <summary>
    /// Removes every connection of a node whose heartbeat expired (it died without saying goodbye); returns the users
    /// that went offline (namespace, user).
    /// </summary>
    public static async Task<List<(string Ns, string User)>> ReapAsync(RedisStoreConnection redis, string deadNode, CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var offline = new List<(string, string)>();
        if (await redis.RunAsync(db => db.KeyExistsAsync(keys.Node(deadNode)), cancellationToken))
        {
            return offline;
        }
        var entries = await redis.RunAsync(db => db.SetMembersAsync(keys.NodeConnections(deadNode)), cancellationToken);
        foreach (var entry in entries)
        {
            var parts = ((string)entry!).Split('|', 3);
            if (parts.Length == 3 && await RemoveFromUserAsync(redis, parts[0], parts[1], parts[2], cancellationToken))
            {
                offline.Add((parts[0], parts[1]));
            }
        }
        await redis.RunAsync(db => db.KeyDeleteAsync(keys.NodeConnections(deadNode)), cancellationToken);
        await redis.RunAsync(db => db.SetRemoveAsync(keys.Nodes, deadNode), cancellationToken);
        return offline;
    }

    private static async Task<long[]> AddToUserAsync(RedisStoreConnection redis, string ns, string user, string connection, int maxConnections, bool admitted,
        CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var reply = await redis.EvaluateAsync(RedisScripts.PresenceAdd, keys.Connections(ns, user),
            [keys.Base(ns, keys.UserPartition(user)), user, connection, maxConnections, admitted ? 1 : 0], cancellationToken);
        return (long[])reply!;
    }

    private static async Task<bool> RemoveFromUserAsync(RedisStoreConnection redis, string ns, string user, string connection, CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        return (long)await redis.EvaluateAsync(RedisScripts.PresenceRemove, keys.Connections(ns, user),
            [keys.Base(ns, keys.UserPartition(user)), user, connection], cancellationToken) == 1;
    }
}
