using Hub.Server.Common;
using Hub.Server.Presence;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// A hub node's heartbeat and reaper: renews this node's heartbeat key, which expires after
/// <see cref="RedisOptions.NodeTimeout"/>, and reaps the connections of nodes whose heartbeat expired (killed without a
/// goodbye): their users stop looking online, their rooms hear it, and group changes stop waiting on connections that
/// exist nowhere. At every beat it also repairs this node's own presence (<c>NodeHeartbeat.PresenceRepair.cs</c>) and
/// checks that Redis still holds its data.
/// </summary>
/// <param name="redis">The node's Redis connection.</param>
/// <param name="node">This node's id.</param>
/// <param name="listener">Who announces the users that went offline with a reaped node (or came back online).</param>
/// <param name="live">The connections this node holds: what its presence is repaired from.</param>
/// <param name="removals">Removals from presence that failed, retried at each beat.</param>
/// <param name="dataLoss">Where a loss of Redis's data is told.</param>
/// <param name="options">Redis options.</param>
/// <param name="time">Clock.</param>
/// <param name="logger">Log.</param>
public sealed partial class NodeHeartbeat(RedisStoreConnection redis, NodeIdentity node, IPresenceListener listener, ILiveConnections live,
    PresenceRemovalQueue removals, RedisDataLoss dataLoss, IOptions<RedisOptions> options, TimeProvider time, ILogger<NodeHeartbeat> logger)
    : BackgroundService
{
    private readonly RedisOptions _options = options.Value;
    private bool _failing;
    private bool _beaten;
    private bool _restoreNeeded;
    private string? _storeEpoch;

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

    /// <summary>Renews this node's heartbeat, repairs its presence and reaps dead nodes (also called directly by tests).</summary>
    public async Task BeatAndReapAsync(CancellationToken cancellationToken = default)
    {
        var keys = redis.Keys;
        var id = node.Id;
        try
        {
            await redis.RunAsync(db => db.StringSetAsync(keys.Node(id), "1", _options.NodeTimeout), cancellationToken);
            // Set again only when this node was missing from the set: reaped as dead (it was frozen or cut off past
            // NodeTimeout while its clients stayed connected) or Redis lost its data. Either way its connections are
            // gone from presence and must be recorded again.
            if (await redis.RunAsync(db => db.SetAddAsync(keys.Nodes, id), cancellationToken) && _beaten)
            {
                _restoreNeeded = true;
            }
            _beaten = true;
            await CheckPartitionsAsync(cancellationToken);
            await CheckStoreEpochAsync(cancellationToken);
            if (_restoreNeeded)
            {
                await RestorePresenceAsync(cancellationToken);
                _restoreNeeded = false; // only once it succeeded: a restore cut short by another outage runs again
            }
            await RetryRemovalsAsync(cancellationToken);
            var nodes = await redis.RunAsync(db => db.SetMembersAsync(keys.Nodes), cancellationToken);
            foreach (var member in nodes)
            {
                var other = (string)member!;
                if (other == id)
                {
                    continue;
                }
                var offline = await RedisPresenceCommands.ReapAsync(redis, other, cancellationToken);
                if (offline.Count > 0)
                {
                    Log.Reaped(logger, other, offline.Count);
                }
                foreach (var (ns, user) in offline)
                {
                    await listener.UserWentOfflineAsync(ns, user, cancellationToken);
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

    // The partition count decides where every key lives: the first node records it, and a node configured with another
    // one stops (the exception ends ExecuteAsync, which stops the host) rather than read and write other keys.
    private async Task CheckPartitionsAsync(CancellationToken cancellationToken)
    {
        var key = redis.Keys.PartitionCount;
        var configured = redis.Keys.Partitions;
        await redis.RunAsync(db => db.StringSetAsync(key, configured, when: StackExchange.Redis.When.NotExists), cancellationToken);
        var recorded = (long?)await redis.RunAsync(db => db.StringGetAsync(key), cancellationToken);
        if (recorded is { } count && count != configured)
        {
            Log.PartitionsDiffer(logger, configured, count);
            throw new InvalidOperationException(
                $"Redis:Partitions is {configured} but the data in Redis (prefix '{redis.Keys.Prefix}') was written with {count} partitions: set Redis:Partitions to {count}. Changing it would orphan every key.");
        }
    }

    // Redis keeps one random epoch value from the first node on; if it is gone or another one, the data was lost. Seen
    // at the beat, so a node notices a loss within a beat even when nobody sends (a send notices it at once: its
    // message counter steps back).
    private async Task CheckStoreEpochAsync(CancellationToken cancellationToken)
    {
        var key = redis.Keys.StoreEpoch;
        var epoch = (string?)await redis.RunAsync(db => db.StringGetAsync(key), cancellationToken);
        if (epoch is null)
        {
            await redis.RunAsync(db => db.StringSetAsync(key, Guid.NewGuid().ToString("N"), when: StackExchange.Redis.When.NotExists), cancellationToken);
            epoch = (string?)await redis.RunAsync(db => db.StringGetAsync(key), cancellationToken);
        }
        if (_storeEpoch is not null && epoch != _storeEpoch)
        {
            Log.DataLost(logger);
            _restoreNeeded = true;
            dataLoss.Raise();
        }
        _storeEpoch = epoch;
    }
}
