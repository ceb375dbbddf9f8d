using Hub.Server.Presence;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Presence heals: the connections this node holds are the truth, and every beat brings Redis back to it, so after a
/// fault ends nobody looks online without a live connection, or offline with one, for longer than a beat
/// (<see cref="RedisOptions.NodeTimeout"/> / 3).
/// <list type="bullet">
/// <item>A removal that failed (Redis down while a client disconnected) is queued (<see cref="PresenceRemovalQueue"/>)
/// and retried at every beat.</item>
/// <item>When this node finds it was dropped from the node set (reaped after a freeze, or Redis lost its data), it
/// records every connection it holds again.</item>
/// </list>
/// </summary>
public sealed partial class NodeHeartbeat
{
    private async Task RetryRemovalsAsync(CancellationToken cancellationToken)
    {
        if (removals.IsEmpty)
        {
            return;
        }
        var keys = redis.Keys;
        var repaired = 0;
        foreach (var connection in removals.Pending)
        {
            var (ns, user, id) = connection;
            var reply = await redis.EvaluateAsync(RedisScripts.PresenceRemove, [keys.Base(ns), user, id, keys.NodeConnections(node.Id), ns], cancellationToken);
            removals.Remove(connection);
            repaired++;
            if ((long)reply == 1)
            {
                await listener.UserWentOfflineAsync(ns, user, cancellationToken);
            }
        }
        Log.RemovalsRepaired(logger, repaired);
    }

    private async Task RestorePresenceAsync(CancellationToken cancellationToken)
    {
        var held = live.Snapshot();
        var keys = redis.Keys;
        const int PerCall = 300;
        var online = 0;
        foreach (var chunk in held.Chunk(PerCall))
        {
            var args = new RedisValue[2 + chunk.Length * 3];
            args[0] = keys.Prefix;
            args[1] = keys.NodeConnections(node.Id);
            for (var i = 0; i < chunk.Length; i++)
            {
                args[2 + i * 3] = chunk[i].Ns;
                args[3 + i * 3] = chunk[i].User;
                args[4 + i * 3] = chunk[i].ConnectionId;
            }
            var came = (RedisResult[])(await redis.EvaluateAsync(RedisScripts.PresenceRestore, args, cancellationToken))!;
            for (var j = 0; j + 1 < came.Length; j += 2)
            {
                online++;
                await listener.UserCameOnlineAsync((string)came[j]!, (string)came[j + 1]!, cancellationToken);
            }
        }
        // A connection that closed while this ran may have been recorded again after its own removal: remove it again.
        var still = live.Snapshot().ToHashSet();
        foreach (var connection in held.Where(c => !still.Contains(c)))
        {
            removals.Add(connection);
        }
        Log.PresenceRestored(logger, held.Count, online);
    }
}
