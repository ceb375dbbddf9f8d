using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// <c>WAIT</c> sent where it means something: to the master that took a write, on the connection that wrote it.
/// <para>
/// <c>WAIT n ms</c> waits until <c>n</c> replicas have every write made so far <em>on the connection it is sent on</em>,
/// so it must reach the master that owns the written key through the same multiplexer. <see cref="IDatabase.ExecuteAsync(string, object[])"/>
/// is not routed by key (its arguments are plain values): on a cluster it goes to any node, which answers for its own
/// writes, or refuses as a replica. <see cref="IConnectionMultiplexer.GetServer(RedisKey, object, CommandFlags)"/> with
/// <see cref="CommandFlags.DemandMaster"/> is the master of the key's slot in the multiplexer's slot map, and a command on
/// that <see cref="IServer"/> goes down the same interactive connection as the key's writes. A write that met
/// <c>MOVED</c> after a failover has already corrected that map, so the write just made and its <c>WAIT</c> go to the
/// same master. On a single Redis the key is ignored and the master is the one server.
/// </para>
/// <para>
/// Redis blocks the client while <c>WAIT</c> waits, and a multiplexer is one client per node: every command sent to that
/// master through the same multiplexer after the <c>WAIT</c> waits behind it, up to <c>timeout</c> when replicas lag.
/// </para>
/// </summary>
internal static class RedisReplication
{
    /// <summary>
    /// Waits until <paramref name="replicas"/> replicas of the master owning <paramref name="routedBy"/> have every write
    /// <paramref name="connection"/> made to it, or <paramref name="timeout"/> passes; returns how many have (fewer than
    /// asked after a timeout).
    /// </summary>
    /// <param name="connection">The multiplexer the writes went through.</param>
    /// <param name="routedBy">A key just written (its slot's master gets the <c>WAIT</c>).</param>
    /// <param name="replicas">How many replicas must have the writes; at least 1.</param>
    /// <param name="timeout">How long Redis waits for them (whole milliseconds, at least 1: <c>WAIT n 0</c> would wait forever); keep it under the connection's command timeout.</param>
    /// <param name="cancellationToken">Stops waiting for the answer (Redis still waits out <paramref name="timeout"/>).</param>
    /// <exception cref="RedisServerException">The node is no master (the slot map is stale): the caller retries.</exception>
    public static async Task<long> WaitForReplicasAsync(IConnectionMultiplexer connection, RedisKey routedBy, int replicas, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromMilliseconds(1));
        var master = connection.GetServer(routedBy, flags: CommandFlags.DemandMaster);
        var milliseconds = (long)Math.Ceiling(timeout.TotalMilliseconds);
        var acknowledged = await master.ExecuteAsync("WAIT", [replicas, milliseconds], CommandFlags.DemandMaster).WaitAsync(cancellationToken);
        return (long)acknowledged;
    }
}
