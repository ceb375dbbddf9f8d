using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Redis <c>WAIT</c> sent to the master that owns a key's slot. <c>WAIT</c> counts the replicas that have every write
/// made before on the same connection, and takes no key, so StackExchange.Redis would send it to any server: it is sent
/// through the <see cref="IServer"/> of the key's endpoint instead, which uses the node's one interactive connection
/// to that master (the one the script went through).
/// </summary>
/// <remarks>
/// A stand-in for the issue-12 cluster branch's <c>RedisReplication.WaitForReplicasAsync</c>, which was not merged
/// when this store needed it; the two are to be reconciled into one.
/// </remarks>
internal static class RedisReplicaWait
{
    /// <summary>How many replicas acknowledged, waiting at most <paramref name="timeout"/> (-1: no server owns the slot now).</summary>
    public static async Task<long> WaitAsync(ConnectionMultiplexer connection, IDatabase db, RedisKey routedBy, int replicas, TimeSpan timeout)
    {
        if (await db.IdentifyEndpointAsync(routedBy) is not { } endpoint)
        {
            return -1;
        }
        var reply = await connection.GetServer(endpoint).ExecuteAsync("WAIT", replicas, (long)timeout.TotalMilliseconds);
        return (long)reply;
    }
}
