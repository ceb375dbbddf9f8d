using Hub.Server.Presence;

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
        var repaired = 0;
        foreach (var connection in removals.Pending)
        {
            var (ns, user, id) = connection;
            var offline = await RedisPresenceCommands.RemoveAsync(redis, node.Id, ns, user, id, cancellationToken);
            removals.Remove(connection);
            repaired++;
            if (offline)
            {
                await listener.UserWentOfflineAsync(ns, user, cancellationToken);
            }
        }
        Log.RemovalsRepaired(logger, repaired);
    }

    private async Task RestorePresenceAsync(CancellationToken cancellationToken)
    {
        var held = live.Snapshot();
        var online = 0;
        foreach (var (ns, user, id) in held)
        {
            if (await RedisPresenceCommands.RestoreAsync(redis, node.Id, ns, user, id, cancellationToken))
            {
                online++;
                await listener.UserCameOnlineAsync(ns, user, cancellationToken);
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
