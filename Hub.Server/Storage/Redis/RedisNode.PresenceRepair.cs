using System.Collections.Concurrent;
using Hub.Server.Presence;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Presence heals: the connections this node holds are the truth, and every beat brings Redis back to it, so after a
/// fault ends nobody looks online without a live connection, or offline with one, for longer than a beat
/// (<see cref="RedisOptions.NodeTimeout"/> / 3).
/// <list type="bullet">
/// <item>A removal that failed (Redis down while a client disconnected) is queued and retried at every beat.</item>
/// <item>When this node finds it was dropped from the node set (reaped after a freeze, or Redis lost its data), it
/// records every connection it holds again.</item>
/// </list>
/// </summary>
public sealed partial class RedisNode
{
    // Connections whose removal from presence failed: retried at each beat until one succeeds.
    private readonly ConcurrentDictionary<LiveConnection, byte> _pendingRemovals = new();

    /// <summary>
    /// Queues the removal of a closed connection whose removal from presence failed; the next beat that reaches Redis
    /// removes it (and announces its user offline if that was the last connection).
    /// </summary>
    /// <param name="connection">The closed connection.</param>
    public void QueueRemoval(LiveConnection connection)
    {
        if (_pendingRemovals.TryAdd(connection, 0) && _pendingRemovals.Count == 1)
        {
            LogRemovalQueued(_logger, connection.Ns, connection.User, connection.ConnectionId);
        }
    }

    private async Task RetryRemovalsAsync(CancellationToken cancellationToken)
    {
        if (_pendingRemovals.IsEmpty)
        {
            return;
        }
        var keys = _redis.Keys;
        var repaired = 0;
        foreach (var connection in _pendingRemovals.Keys)
        {
            var (ns, user, id) = connection;
            var reply = await _redis.EvaluateAsync(RedisScripts.PresenceRemove, [keys.Base(ns), user, id, keys.NodeConnections(Id), ns], cancellationToken);
            _pendingRemovals.TryRemove(connection, out _);
            repaired++;
            if ((long)reply == 1)
            {
                await _listener().UserWentOfflineAsync(ns, user, cancellationToken);
            }
        }
        LogRemovalsRepaired(_logger, repaired);
    }

    private async Task RestorePresenceAsync(CancellationToken cancellationToken)
    {
        var live = _live().Snapshot();
        var keys = _redis.Keys;
        const int PerCall = 300;
        var online = 0;
        foreach (var chunk in live.Chunk(PerCall))
        {
            var args = new RedisValue[2 + chunk.Length * 3];
            args[0] = keys.Prefix;
            args[1] = keys.NodeConnections(Id);
            for (var i = 0; i < chunk.Length; i++)
            {
                args[2 + i * 3] = chunk[i].Ns;
                args[3 + i * 3] = chunk[i].User;
                args[4 + i * 3] = chunk[i].ConnectionId;
            }
            var came = (RedisResult[])(await _redis.EvaluateAsync(RedisScripts.PresenceRestore, args, cancellationToken))!;
            for (var j = 0; j + 1 < came.Length; j += 2)
            {
                online++;
                await _listener().UserCameOnlineAsync((string)came[j]!, (string)came[j + 1]!, cancellationToken);
            }
        }
        // A connection that closed while this ran may have been recorded again after its own removal: remove it again.
        var still = _live().Snapshot().ToHashSet();
        foreach (var connection in live.Where(c => !still.Contains(c)))
        {
            QueueRemoval(connection);
        }
        LogPresenceRestored(_logger, live.Count, online);
    }

    [LoggerMessage(412, LogLevel.Warning, "Could not remove connection {ConnectionId} of {User} in {Ns} from presence (Redis unavailable); retrying at each beat.")]
    private static partial void LogRemovalQueued(ILogger logger, string ns, string user, string connectionId);

    [LoggerMessage(413, LogLevel.Information, "Removed {Count} closed connections from presence whose removal had failed.")]
    private static partial void LogRemovalsRepaired(ILogger logger, int count);

    [LoggerMessage(414, LogLevel.Warning, "This node was missing from Redis (reaped as dead, or Redis lost its data): recorded its {Connections} connections in presence again; {Users} users came back online.")]
    private static partial void LogPresenceRestored(ILogger logger, int connections, int users);
}
