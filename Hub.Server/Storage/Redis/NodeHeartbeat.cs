using Hub.Server.Common;
using Hub.Server.Presence;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// A hub node's heartbeat and reaper: renews this node's heartbeat key, which expires after
/// <see cref="RedisOptions.NodeTimeout"/>, and reaps the connections of nodes whose heartbeat expired (killed without a
/// goodbye): their users stop looking online, their rooms hear it, and group changes stop waiting on connections that
/// exist nowhere.
/// </summary>
/// <param name="redis">The node's Redis connection.</param>
/// <param name="node">This node's id.</param>
/// <param name="listener">Who announces the users that went offline with a reaped node.</param>
/// <param name="options">Redis options.</param>
/// <param name="time">Clock.</param>
/// <param name="logger">Log.</param>
public sealed partial class NodeHeartbeat(RedisStoreConnection redis, NodeIdentity node, IPresenceListener listener, IOptions<RedisOptions> options,
    TimeProvider time, ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private readonly RedisOptions _options = options.Value;
    private bool _failing;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.NodeTimeout / 3, time);
        try
        {
            do
            {
                await BeatAndReapAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Renews this node's heartbeat and reaps dead nodes (also called directly by tests).</summary>
    public async Task BeatAndReapAsync(CancellationToken cancellationToken = default)
    {
        var keys = redis.Keys;
        var id = node.Id;
        try
        {
            await redis.RunAsync(db => db.StringSetAsync(keys.Node(id), "1", _options.NodeTimeout), cancellationToken);
            await redis.RunAsync(db => db.SetAddAsync(keys.Nodes, id), cancellationToken);
            var nodes = await redis.RunAsync(db => db.SetMembersAsync(keys.Nodes), cancellationToken);
            foreach (var member in nodes)
            {
                var other = (string)member!;
                if (other == id)
                {
                    continue;
                }
                var offline = await redis.EvaluateAsync(RedisScripts.PresenceReap, [keys.Prefix, other], cancellationToken);
                if (offline.Length > 0)
                {
                    Log.Reaped(logger, other, offline.Length / 2);
                }
                for (var j = 0; j + 1 < offline.Length; j += 2)
                {
                    await listener.UserWentOfflineAsync((string)offline[j]!, (string)offline[j + 1]!, cancellationToken);
                }
            }
            _failing = false;
        }
        catch (StoreUnavailableException ex)
        {
            // Redis down: readiness says so; log once per outage, and keep trying on the next beat.
            if (!_failing)
            {
                _failing = true;
                Log.BeatFailed(logger, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }
}
