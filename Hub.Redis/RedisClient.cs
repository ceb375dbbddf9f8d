using System.Collections.Frozen;
using Hub.Redis.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Redis;

/// <summary>
/// A Redis client: one multiplexed, pipelined connection for commands and one connection for pub/sub, both
/// reconnected automatically with capped exponential back-off. Thread-safe; create one per process and share it.
/// </summary>
/// <remarks>
/// While a connection is down, calls that need it fail at once with <see cref="RedisConnectionException"/>
/// rather than waiting; subscriptions are kept and restored on reconnect.
/// </remarks>
public sealed partial class RedisClient : IAsyncDisposable
{
    // Commands that change the state of the shared connection for every caller, or turn it into something
    // that no longer answers one reply per command. Transactions are fine inside one batch (written contiguously).
    private static readonly FrozenSet<string> ForbiddenCommands = new[]
    {
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE",
        "MONITOR", "QUIT", "RESET", "HELLO", "SELECT", "AUTH", "CLIENT REPLY",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> BatchOnlyCommands = new[]
    {
        "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly RedisConfiguration _configuration;
    private readonly ConnectionSupervisor _interactive;
    private readonly SubscriptionConnection _subscription;
    private readonly ILogger _logger;
    private int _disposed;

    private RedisClient(RedisConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _configuration = configuration;
        _logger = loggerFactory.CreateLogger<RedisClient>();
        var connectionLogger = loggerFactory.CreateLogger("Hub.Redis.Connection");
        _interactive = new ConnectionSupervisor(RedisConnectionKind.Interactive, configuration, OnStateChanged, connectionLogger, timeProvider);
        _subscription = new SubscriptionConnection(configuration, OnStateChanged, connectionLogger, timeProvider);
    }

    /// <summary>
    /// Raised when either connection is lost or (re)established after <c>ConnectAsync</c> returned — once per
    /// change, not per failed attempt. Raised on a background thread; handlers should be quick and must not block.
    /// To learn the current state without a race, subscribe first, then read <see cref="IsConnected"/>.
    /// </summary>
    public event EventHandler<RedisConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>True when both the command and the subscription connections are up.</summary>
    public bool IsConnected => _interactive.IsConnected && _subscription.IsConnected;

    /// <summary>The configuration in use, password hidden (safe to log).</summary>
    public string ConfigurationDescription => _configuration.ToString();

    /// <summary>
    /// Connects using a StackExchange.Redis-style connection string (see <see cref="RedisConfiguration.Parse"/>).
    /// </summary>
    /// <param name="configuration">The connection string, e.g. <c>localhost:6379,password=secret,abortConnect=false</c>.</param>
    /// <param name="loggerFactory">Where to log; null for no logging.</param>
    /// <param name="timeProvider">The clock for timeouts, back-off and keep-alive; null for the system clock.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client (or, with abortConnect=false, a client still connecting in the background).</returns>
    /// <exception cref="ArgumentException">The connection string is invalid.</exception>
    /// <exception cref="RedisConnectionException">The first connection failed and abortConnect is true.</exception>
    public static Task<RedisClient> ConnectAsync(
        string configuration,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default) =>
        ConnectAsync(RedisConfiguration.Parse(configuration), loggerFactory, timeProvider, cancellationToken);

    /// <summary>Connects using a configuration object (copied; later changes to it have no effect).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="loggerFactory">Where to log; null for no logging.</param>
    /// <param name="timeProvider">The clock for timeouts, back-off and keep-alive; null for the system clock.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client (or, with abortConnect=false, a client still connecting in the background).</returns>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    /// <exception cref="RedisConnectionException">The first connection failed and abortConnect is true.</exception>
    public static async Task<RedisClient> ConnectAsync(
        RedisConfiguration configuration,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var copy = configuration.Clone();
        copy.Validate();
        var client = new RedisClient(copy, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
        try
        {
            // Both connections in parallel: startup costs one connect, not two.
            var interactive = client._interactive.StartAsync(cancellationToken);
            var subscription = client._subscription.StartAsync(cancellationToken);
            await Task.WhenAll(interactive, subscription).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>Sends one command and returns its reply.</summary>
    /// <param name="command">The command name, one word (e.g. <c>GET</c>; for <c>CLIENT SETNAME</c> pass <c>CLIENT</c> and put <c>SETNAME</c> first in the arguments).</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the reply; the command may still run on the server.</param>
    /// <returns>The reply, never an error reply.</returns>
    /// <exception cref="RedisServerException">The server replied with an error; the connection stays usable.</exception>
    /// <exception cref="RedisTimeoutException">No reply within <c>syncTimeout</c>; the connection is reset.</exception>
    /// <exception cref="RedisConnectionException">Not connected, or the connection dropped while waiting.</exception>
    /// <exception cref="ArgumentException">The command cannot be used on a shared connection (SUBSCRIBE, SELECT, MULTI, ...).</exception>
    public async Task<RedisResult> ExecuteAsync(string command, IReadOnlyList<RedisValue> arguments, CancellationToken cancellationToken = default)
    {
        var request = new RedisCommand(command, arguments);
        CheckAllowed(request, inBatch: false);
        var replies = await _interactive.GetConnection()
            .SendAsync([request], 1, _configuration.CommandTimeout, cancellationToken).ConfigureAwait(false);
        return replies[0].ThrowIfError();
    }

    /// <summary>Sends one command and returns its reply (convenience overload without a cancellation token).</summary>
    /// <param name="command">The command name, one word.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The reply, never an error reply.</returns>
    /// <exception cref="RedisServerException">The server replied with an error; the connection stays usable.</exception>
    /// <exception cref="RedisTimeoutException">No reply within <c>syncTimeout</c>; the connection is reset.</exception>
    /// <exception cref="RedisConnectionException">Not connected, or the connection dropped while waiting.</exception>
    public Task<RedisResult> ExecuteAsync(string command, params RedisValue[] arguments) =>
        ExecuteAsync(command, (IReadOnlyList<RedisValue>)arguments, CancellationToken.None);

    /// <summary>
    /// Sends several commands in one write and returns their replies in order (one round trip). The commands
    /// are contiguous on the wire, so <c>MULTI ... EXEC</c> inside one batch is a proper transaction.
    /// Server errors do not throw: they are returned as error results (<see cref="RedisResult.IsError"/>) so the
    /// other replies are not lost.
    /// </summary>
    /// <param name="commands">The commands.</param>
    /// <param name="cancellationToken">Stops waiting; the commands may still run.</param>
    /// <returns>One reply per command, in order.</returns>
    /// <exception cref="RedisTimeoutException">The replies did not all arrive within <c>syncTimeout</c>; the connection is reset.</exception>
    /// <exception cref="RedisConnectionException">Not connected, or the connection dropped while waiting.</exception>
    public async Task<IReadOnlyList<RedisResult>> ExecuteBatchAsync(IReadOnlyList<RedisCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            return [];
        }

        foreach (var command in commands)
        {
            CheckAllowed(command, inBatch: true);
        }

        return await _interactive.GetConnection()
            .SendAsync(commands, commands.Count, _configuration.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a Lua script with EVALSHA, falling back to EVAL (which also caches it again) when the server
    /// answers NOSCRIPT, as it does after a restart.
    /// </summary>
    /// <param name="script">The script.</param>
    /// <param name="keys">The keys (<c>KEYS[1..n]</c>); null for none.</param>
    /// <param name="arguments">The arguments (<c>ARGV[1..n]</c>); null for none.</param>
    /// <param name="cancellationToken">Stops waiting; the script may still run.</param>
    /// <returns>The script's reply.</returns>
    /// <exception cref="RedisServerException">The script failed or returned an error.</exception>
    /// <exception cref="RedisTimeoutException">No reply within <c>syncTimeout</c>.</exception>
    /// <exception cref="RedisConnectionException">Not connected, or the connection dropped while waiting.</exception>
    public async Task<RedisResult> EvaluateAsync(
        RedisScript script,
        IReadOnlyList<RedisValue>? keys = null,
        IReadOnlyList<RedisValue>? arguments = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        keys ??= [];
        arguments ??= [];
        var request = new RedisValue[2 + keys.Count + arguments.Count];
        request[0] = script.Sha1;
        request[1] = keys.Count;
        for (var i = 0; i < keys.Count; i++)
        {
            request[2 + i] = keys[i];
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            request[2 + keys.Count + i] = arguments[i];
        }

        try
        {
            return await ExecuteAsync("EVALSHA", request, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.ErrorCode == "NOSCRIPT")
        {
            LogScriptNotCached(_logger, script.Sha1);
            request[0] = script.SourceBytes;
            return await ExecuteAsync("EVAL", request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes a message on a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="message">The payload (written straight to the socket, not copied first).</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>How many subscribers (connections, across the Redis server) received it.</returns>
    /// <exception cref="RedisTimeoutException">No reply within <c>syncTimeout</c>.</exception>
    /// <exception cref="RedisConnectionException">Not connected, or the connection dropped while waiting.</exception>
    public async Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var reply = await ExecuteAsync("PUBLISH", [channel, message], cancellationToken).ConfigureAwait(false);
        return reply.AsInt64();
    }

    /// <summary>
    /// Subscribes a handler to a channel. Several handlers may share a channel; Redis sees one SUBSCRIBE, and
    /// UNSUBSCRIBE when the last handler's subscription is disposed. Handlers run one message at a time, in
    /// arrival order, on a single dispatch loop: keep them short and non-blocking (queue work elsewhere). A handler
    /// exception is logged and does not stop delivery.
    /// </summary>
    /// <remarks>
    /// The payload memory is a private copy made for this message: the handler may keep it after returning,
    /// but must not write to it (all handlers of the channel share it). If the subscription connection is down,
    /// the handler is registered and the channel subscribed as soon as it is back; messages published meanwhile are lost
    /// (Redis pub/sub is fire-and-forget).
    /// </remarks>
    /// <param name="channel">The channel name (exact, no patterns).</param>
    /// <param name="handler">Called with the channel and the payload.</param>
    /// <param name="cancellationToken">Cancels subscribing; nothing stays registered then.</param>
    /// <returns>Dispose it (once is enough; more is harmless) to remove this handler.</returns>
    /// <exception cref="RedisServerException">The server refused (e.g. an ACL forbids the channel).</exception>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _subscription.SubscribeAsync(channel, handler, cancellationToken);
    }

    /// <summary>
    /// Drops the subscription connection so it reconnects and resubscribes every channel. For a caller that found
    /// out (by a probe) that the subscription silently stopped delivering, a known failure after a Redis failover.
    /// </summary>
    /// <param name="reason">Why, for the log and the state event.</param>
    public void ResetSubscriptionConnection(string reason) => _subscription.Reset(reason);

    /// <summary>
    /// Stops reconnecting and keep-alives, unsubscribes, waits for queued messages to be dispatched, then closes
    /// both sockets. Pending commands fail with <see cref="RedisConnectionException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _subscription.DisposeAsync().ConfigureAwait(false);
        await _interactive.DisposeAsync().ConfigureAwait(false);
    }

    private static void CheckAllowed(RedisCommand command, bool inBatch)
    {
        if (command.Name is null || command.Arguments is null)
        {
            throw new ArgumentException("A RedisCommand needs a name and arguments (default(RedisCommand) is not a command).");
        }

        if (ForbiddenCommands.Contains(command.Name))
        {
            throw new ArgumentException(
                $"{command.Name} cannot be sent on the shared connection: use SubscribeAsync for pub/sub and the configuration for AUTH/SELECT.");
        }

        if (!inBatch && BatchOnlyCommands.Contains(command.Name))
        {
            throw new ArgumentException(
                $"{command.Name} only makes sense inside ExecuteBatchAsync, where the commands are contiguous on the shared connection.");
        }
    }

    private void OnStateChanged(RedisConnectionStateChangedEventArgs args)
    {
        try
        {
            ConnectionStateChanged?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            LogStateHandlerFailed(_logger, ex, args.Connection);
        }
    }
}
