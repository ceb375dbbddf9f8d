using Hub.Server.Delivery;
using Hub.Server.Presence;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// This node's identity in Redis. It renews a heartbeat key that expires after <see cref="RedisOptions.NodeTimeout"/>,
/// and reaps the connections of nodes whose heartbeat expired (killed without a goodbye): their users stop looking
/// online, their rooms hear it, and group changes stop waiting on connections that exist nowhere. At every beat it
/// also repairs this node's own presence (<c>RedisNode.PresenceRepair.cs</c>).
/// </summary>
public sealed partial class RedisNode : BackgroundService
{
    private readonly RedisStoreConnection _redis;
    private readonly Func<IPresenceListener> _listener;
    private readonly Func<ILiveConnections> _live;
    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _failing;
    private bool _beaten;
    private bool _restoreNeeded;
    private string? _storeEpoch;

    /// <summary>Creates the node with a fresh id.</summary>
    /// <param name="redis">The node's Redis connection.</param>
    /// <param name="listener">
    /// Resolves who announces reaped users. Resolved only when a node is reaped: the listener needs the hubs, which
    /// must not be built while the host is still starting this service.
    /// </param>
    /// <param name="live">
    /// Resolves the connections this node holds (what its presence is repaired from); resolved at each beat, for the
    /// same reason as <paramref name="listener"/>.
    /// </param>
    /// <param name="options">Redis options.</param>
    /// <param name="time">Clock.</param>
    /// <param name="logger">Log.</param>
    public RedisNode(RedisStoreConnection redis, Func<IPresenceListener> listener, Func<ILiveConnections> live, IOptions<RedisOptions> options,
        TimeProvider time, ILogger<RedisNode> logger)
    {
        _redis = redis;
        _listener = listener;
        _live = live;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Raised (on the heartbeat's thread; handlers must not block) when this node finds that Redis lost its data
    /// (restarted without persistence, flushed) while it was connected: every queue and room it held is gone.
    /// </summary>
    public event Action? DataLost;

    /// <summary>This node's id.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.NodeTimeout / 3, _time);
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
        var keys = _redis.Keys;
        try
        {
            await _redis.RunAsync(db => db.StringSetAsync(keys.Node(Id), "1", _options.NodeTimeout), cancellationToken);
            // Set again only when this node was missing from the set: reaped as dead (it was frozen or cut off past
            // NodeTimeout while its clients stayed connected) or Redis lost its data. Either way its connections are
            // gone from presence and must be recorded again.
            if (await _redis.RunAsync(db => db.SetAddAsync(keys.Nodes, Id), cancellationToken) && _beaten)
            {
                _restoreNeeded = true;
            }
            _beaten = true;
            await CheckStoreEpochAsync(cancellationToken);
            if (_restoreNeeded)
            {
                await RestorePresenceAsync(cancellationToken);
                _restoreNeeded = false; // only once it succeeded: a restore cut short by another outage runs again
            }
            await RetryRemovalsAsync(cancellationToken);
            var nodes = await _redis.RunAsync(db => db.SetMembersAsync(keys.Nodes), cancellationToken);
            foreach (var member in nodes)
            {
                var node = (string)member!;
                if (node == Id)
                {
                    continue;
                }
                var offline = await _redis.EvaluateAsync(RedisScripts.PresenceReap, [keys.Prefix, node], cancellationToken);
                if (offline.Length > 0)
                {
                    LogReaped(_logger, node, offline.Length / 2);
                }
                for (var j = 0; j + 1 < offline.Length; j += 2)
                {
                    await _listener().UserWentOfflineAsync((string)offline[j]!, (string)offline[j + 1]!, cancellationToken);
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
                LogBeatFailed(_logger, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    // Redis keeps one random epoch value from the first node on; if it is gone or another one, the data was lost. Seen
    // at the beat, so a node notices a loss within a beat even when nobody sends (a send notices it at once: its
    // message counter steps back).
    private async Task CheckStoreEpochAsync(CancellationToken cancellationToken)
    {
        var key = _redis.Keys.StoreEpoch;
        var epoch = (string?)await _redis.RunAsync(db => db.StringGetAsync(key), cancellationToken);
        if (epoch is null)
        {
            await _redis.RunAsync(db => db.StringSetAsync(key, Guid.NewGuid().ToString("N"), when: StackExchange.Redis.When.NotExists), cancellationToken);
            epoch = (string?)await _redis.RunAsync(db => db.StringGetAsync(key), cancellationToken);
        }
        if (_storeEpoch is not null && epoch != _storeEpoch)
        {
            LogDataLost(_logger);
            _restoreNeeded = true;
            DataLost?.Invoke();
        }
        _storeEpoch = epoch;
    }

    [LoggerMessage(415, LogLevel.Error, "Redis lost its data (its store epoch changed): closing this node's connections so their clients resume and learn of it; rooms and queues are gone.")]
    private static partial void LogDataLost(ILogger logger);

    [LoggerMessage(410, LogLevel.Warning, "Node {Node} stopped beating: reaped the connections it held; {Users} users went offline.")]
    private static partial void LogReaped(ILogger logger, string node, int users);

    [LoggerMessage(411, LogLevel.Warning, "Node heartbeat failed (Redis unavailable: {Reason}); retrying each beat.")]
    private static partial void LogBeatFailed(ILogger logger, string reason);
}
