using Hub.Server.Common;
using Hub.Server.Delivery;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// The stores' Redis connections: one StackExchange.Redis multiplexer for commands and scripts, and a
/// <see cref="RedisSubscriber"/> with a multiplexer of its own for announcements and probes. Both connect in the
/// background, so the node starts (and reports not ready) while Redis is down; every call made while Redis is
/// unreachable fails at once (<see cref="BacklogPolicy.FailFast"/>) with <see cref="StoreUnavailableException"/>,
/// which clients see as "Store unavailable, retry." A Redis that keeps its socket but does not answer (frozen) fails
/// each call after <see cref="RedisOptions.CommandTimeout"/>, flagged <see cref="StoreUnavailableException.MayHaveRun"/>
/// when the command had been written, and counts as unresponsive until it answers again.
/// </summary>
public sealed partial class RedisStoreConnection : IAsyncDisposable
{
    private readonly Task<ConnectionMultiplexer> _commands;

    // IsStandalone once known: 1 a single server, -1 a cluster, 0 not connected yet.
    private int _standalone;
    private readonly ILogger _logger;
    // Set when a command times out, cleared by the next answer: a Redis whose socket is up but which does not answer
    // is not ready, and reconnecting to it does not count as recovered.
    private volatile bool _unresponsive;

    /// <summary>Starts connecting.</summary>
    /// <param name="options">Redis options (<see cref="RedisConnectionConfiguration"/> turns them into settings).</param>
    /// <param name="loggerFactory">Log.</param>
    public RedisStoreConnection(IOptions<RedisOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Keys = new RedisKeys(options.Value.Prefix, options.Value.Partitions);
        _logger = loggerFactory.CreateLogger<RedisStoreConnection>();
        _commands = ConnectionMultiplexer.ConnectAsync(RedisConnectionConfiguration.Create(options.Value));
        Subscriber = new RedisSubscriber(RedisConnectionConfiguration.Create(options.Value), loggerFactory.CreateLogger<RedisSubscriber>());
    }

    /// <summary>Key and channel names.</summary>
    public RedisKeys Keys { get; }

    /// <summary>Subscriptions (announcements and probes).</summary>
    public RedisSubscriber Subscriber { get; }

    /// <summary>Whether both Redis connections (commands, subscriptions) are up.</summary>
    public bool IsConnected => _commands is { IsCompletedSuccessfully: true } connecting && connecting.Result.IsConnected && Subscriber.IsConnected;

    /// <summary>
    /// Whether Redis answers: false from a command that timed out until the next command is answered (the subscription
    /// monitor's probe makes one at every <see cref="RedisOptions.ProbeInterval"/>).
    /// </summary>
    public bool IsResponsive => !_unresponsive;

    /// <summary>
    /// Whether the store is one Redis server (or a replicated one), not a Redis Cluster: then a script may touch keys of
    /// several partitions. False until every server is connected.
    /// </summary>
    public bool IsStandalone
    {
        get
        {
            var known = Volatile.Read(ref _standalone);
            if (known != 0)
            {
                return known > 0;
            }
            if (_commands is not { IsCompletedSuccessfully: true } connecting)
            {
                return false;
            }
            // A server's type is learned when its connection is set up: until every one is connected, say no (the
            // send claims its key in a call of its own, which is right everywhere).
            var servers = connecting.Result.GetServers();
            if (servers.Length == 0 || !servers.All(s => s.IsConnected))
            {
                return false;
            }
            var standalone = servers.All(s => s.ServerType == ServerType.Standalone);
            Volatile.Write(ref _standalone, standalone ? 1 : -1);
            return standalone;
        }
    }

    /// <summary>Runs a script by its SHA (after a <c>SCRIPT FLUSH</c> or a Redis restart, by its source).</summary>
    /// <param name="script">The script; its arguments arrive as <c>ARGV</c>.</param>
    /// <param name="key">
    /// A key of the one slot the script touches (<c>KEYS[1]</c>): what routes it to the right master of a Redis Cluster.
    /// </param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the script may still run).</param>
    internal Task<RedisResult> EvaluateAsync(RedisScript script, RedisKey key, RedisValue[] arguments, CancellationToken cancellationToken = default) =>
        RunAsync(db => EvaluateAsync(db, script, [key], arguments), cancellationToken);

    /// <summary>Runs a script that touches no key (it is sent to any server).</summary>
    /// <param name="script">The script.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    internal Task<RedisResult> EvaluateAsync(RedisScript script, CancellationToken cancellationToken = default) =>
        RunAsync(db => EvaluateAsync(db, script, null, null), cancellationToken);

    // NOSCRIPT means the script did not run, so sending it again is safe; StackExchange.Redis loads the source there.
    private static async Task<RedisResult> EvaluateAsync(IDatabase db, RedisScript script, RedisKey[]? keys, RedisValue[]? arguments)
    {
        try
        {
            return await db.ScriptEvaluateAsync(script.Hash, keys, arguments);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(script.Source, keys, arguments);
        }
    }

    /// <summary>
    /// Waits until <paramref name="replicas"/> replicas of the master that owns <paramref name="routedBy"/>'s slot have
    /// every write made before on this node's connection to it (Redis <c>WAIT</c>), at most <paramref name="timeout"/>.
    /// Fewer in time: <see cref="StoreUnavailableException"/> (the write may have run: a retry must use the same
    /// idempotency key).
    /// </summary>
    /// <param name="routedBy">A key of the slot written.</param>
    /// <param name="replicas">How many replicas must have the writes.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task WaitForReplicasAsync(RedisKey routedBy, int replicas, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var connection = await _commands.WaitAsync(cancellationToken);
        long reached;
        try
        {
            reached = await RunAsync(_ => RedisReplication.WaitForReplicasAsync(connection, routedBy, replicas, timeout, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or InvalidOperationException)
        {
            // The write is done but WAIT got no count: a failover just demoted the master ("WAIT cannot be used with
            // replica instances") or no master owns the slot yet. Not known to be replicated, so the sender is told
            // to retry, which its idempotency key makes safe (seen in RedisClusterFailoverTests as an internal error).
            throw new StoreUnavailableException(ex, mayHaveRun: true);
        }
        if (reached < replicas)
        {
            throw new StoreUnavailableException(new TimeoutException($"WAIT: {reached} of {replicas} replicas acknowledged within {timeout.TotalMilliseconds} ms."), mayHaveRun: true);
        }
    }

    /// <summary>
    /// Runs commands; connection failures and timeouts become <see cref="StoreUnavailableException"/>, with
    /// <see cref="StoreUnavailableException.MayHaveRun"/> set when the command had been written to Redis.
    /// </summary>
    /// <param name="call">The calls on the database.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (StackExchange.Redis calls take no token; the command may still run).</param>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            var connection = await _commands.WaitAsync(cancellationToken);
            var result = await call(connection.GetDatabase()).WaitAsync(cancellationToken);
            Answered();
            return result;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            if (ex is RedisTimeoutException && !_unresponsive)
            {
                _unresponsive = true;
                LogUnresponsive(_logger, ex.Message);
            }
            throw new StoreUnavailableException(ex, MayHaveRun(ex));
        }
    }

    /// <summary>Runs commands that return nothing; connection failures become <see cref="StoreUnavailableException"/>.</summary>
    /// <param name="call">The calls on the database.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public Task RunAsync(Func<IDatabase, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(async db =>
        {
            await call(db);
            return true;
        }, cancellationToken);
    }

    /// <summary>Publishes <paramref name="message"/> on <paramref name="channel"/>; returns how many subscribers got it.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    public Task<long> PublishAsync(string channel, RedisValue message, CancellationToken cancellationToken = default) =>
        RunAsync(db => db.PublishAsync(RedisChannel.Literal(channel), message), cancellationToken);

    /// <summary>
    /// The one place that decides which Redis failures mean "unavailable, retry": no connection, no reply in time,
    /// or a server that cannot take writes for now (loading its data after a restart, a replica during a failover, a
    /// cluster that has not yet promoted a dead master's replica).
    /// </summary>
    /// <param name="exception">The failure of a call.</param>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            // A Redis Cluster refuses every command for a few seconds after a master dies, until its replica is promoted.
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Whether a call that failed with <paramref name="exception"/> (one <see cref="IsUnavailable"/> accepts) may still
    /// have run: true unless StackExchange.Redis says the command never left this process (refused at once while
    /// disconnected, or still queued when it timed out) or Redis refused it (loading, read-only).
    /// </summary>
    /// <param name="exception">The failure of a call.</param>
    public static bool MayHaveRun(Exception exception) => exception switch
    {
        RedisTimeoutException timeout => timeout.Commandstatus is not (CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog),
        RedisConnectionException connection => connection.CommandStatus switch
        {
            CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog => false,
            CommandStatus.Sent => true,
            // FailFast refuses a command while no connection is up without saying where it was: these failures mean
            // there was no connection to write it to.
            _ => connection.FailureType is not (ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.UnableToConnect
                or ConnectionFailureType.AuthenticationFailure),
        },
        _ => false,
    };

    private void Answered()
    {
        if (_unresponsive)
        {
            _unresponsive = false;
            LogAnswersAgain(_logger);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Subscriber.DisposeAsync();
        try
        {
            await (await _commands).DisposeAsync();
        }
        catch (RedisException)
        {
            // Never connected: nothing to close.
        }
    }
}
