using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

/// <summary>
/// Keeps one logical connection alive: connects (trying endpoints in order), watches the current
/// <see cref="PhysicalConnection"/>, and when it drops reconnects with capped exponential back-off, reporting
/// each state change once. It also PINGs on the keep-alive interval to catch half-open sockets.
/// </summary>
internal partial class ConnectionSupervisor : IAsyncDisposable
{
    private readonly Action<RedisConnectionStateChangedEventArgs> _onStateChanged;
    private readonly ReconnectBackoff _backoff;
    private readonly CancellationTokenSource _shutdown = new();
    private PhysicalConnection? _current;
    private Exception? _lastError;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public ConnectionSupervisor(
        RedisConnectionKind kind,
        RedisConfiguration configuration,
        Action<RedisConnectionStateChangedEventArgs> onStateChanged,
        ILogger logger,
        TimeProvider timeProvider)
    {
        Kind = kind;
        Configuration = configuration;
        _onStateChanged = onStateChanged;
        Logger = logger;
        TimeProvider = timeProvider;
        _backoff = new ReconnectBackoff(configuration.ReconnectBaseDelay, configuration.ReconnectMaxDelay);
    }

    public RedisConnectionKind Kind { get; }

    public bool IsConnected => Volatile.Read(ref _current) is { IsFailed: false };

    protected RedisConfiguration Configuration { get; }

    protected ILogger Logger { get; }

    protected TimeProvider TimeProvider { get; }

    /// <summary>The live connection, or null while disconnected.</summary>
    protected PhysicalConnection? Current => Volatile.Read(ref _current) is { IsFailed: false } current ? current : null;

    /// <summary>Handles unsolicited replies (pub/sub messages); null when every reply answers a command.</summary>
    protected virtual Func<RedisResult, bool>? PushHandler => null;

    /// <summary>The live connection.</summary>
    /// <exception cref="RedisConnectionException">There is none right now (reconnecting in the background).</exception>
    public PhysicalConnection GetConnection()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Current ?? throw new RedisConnectionException(
            $"No {Kind} connection to Redis is available ({string.Join(", ", Configuration.EndPoints)}); reconnecting in the background." +
            (Volatile.Read(ref _lastError) is { } last ? " Last error: " + last.Message : string.Empty),
            Volatile.Read(ref _lastError));
    }

    /// <summary>
    /// Makes the first connection, then supervises in the background. If the first connection fails this throws
    /// when abortConnect is true, and otherwise returns and keeps retrying.
    /// </summary>
    /// <exception cref="RedisConnectionException">The first connection failed and abortConnect is true.</exception>
    /// <summary>Fails the current connection on purpose; the supervisor reconnects (and, for subscriptions, resubscribes).</summary>
    public void Reset(string reason) => Current?.Fail(new RedisConnectionException(reason));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PhysicalConnection? first = null;
        try
        {
            first = await ConnectAsync(Configuration.ConnectRetry, cancellationToken).ConfigureAwait(false);
            LogConnected(Logger, Kind, first.EndPoint);
        }
        catch (RedisConnectionException ex) when (!Configuration.AbortOnConnectFail)
        {
            Volatile.Write(ref _lastError, ex);
            LogInitialConnectFailed(Logger, Kind, ex.Message);
        }

        _loop = Task.Run(() => SuperviseAsync(first));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop the loop first (no more reconnects, back-off delays or keep-alive pings), then let the
        // subclass say goodbye on the live socket, then close it.
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        var current = Interlocked.Exchange(ref _current, null);
        if (current is not null)
        {
            await OnClosingAsync(current).ConfigureAwait(false);
            current.Fail(new RedisConnectionException($"The Redis client was disposed; the {Kind} connection is closed."));
            await current.DisposeAsync().ConfigureAwait(false);
        }

        _shutdown.Dispose();
        await OnDisposedAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a new connection live. The base publishes it at once; the subscription connection first
    /// resubscribes its channels, under its own lock.
    /// </summary>
    protected virtual Task ActivateAsync(PhysicalConnection connection, CancellationToken cancellationToken)
    {
        Publish(connection);
        return Task.CompletedTask;
    }

    /// <summary>Publishes a connection as the live one.</summary>
    protected void Publish(PhysicalConnection connection) => Volatile.Write(ref _current, connection);

    /// <summary>Called on dispose with the live connection, before it is closed.</summary>
    protected virtual Task OnClosingAsync(PhysicalConnection connection) => Task.CompletedTask;

    /// <summary>Called at the end of dispose.</summary>
    protected virtual ValueTask OnDisposedAsync() => ValueTask.CompletedTask;

    private async Task<PhysicalConnection> ConnectAsync(int rounds, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var endPoint in Configuration.EndPoints)
            {
                PhysicalConnection? connection = null;
                try
                {
                    connection = await PhysicalConnection.ConnectAsync(
                        endPoint, Configuration, Kind, PushHandler, Logger, TimeProvider, cancellationToken).ConfigureAwait(false);
                    await ActivateAsync(connection, cancellationToken).ConfigureAwait(false);
                    return connection;
                }
                catch (Exception ex)
                {
                    // Activation publishes only as its last step, so a connection here was never published.
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    last = ex;
                }
            }
        }

        throw last as RedisConnectionException
            ?? new RedisConnectionException($"Could not connect to Redis ({string.Join(", ", Configuration.EndPoints)}): {last?.Message}", last);
    }

    private async Task SuperviseAsync(PhysicalConnection? connection)
    {
        var token = _shutdown.Token;
        // After a failed first attempt the next one waits its back-off; after a drop the first retry is immediate.
        var failures = connection is null ? 1 : 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (connection is not null)
                {
                    var cause = await WatchAsync(connection, token).ConfigureAwait(false);
                    Interlocked.CompareExchange(ref _current, null, connection);
                    Volatile.Write(ref _lastError, cause);
                    LogConnectionLost(Logger, Kind, connection.EndPoint, cause.Message);
                    RaiseStateChanged(new RedisConnectionStateChangedEventArgs(Kind, false, connection.EndPoint, cause));
                    connection = null;
                    failures = 0;
                }

                var started = TimeProvider.GetTimestamp();
                while (connection is null)
                {
                    if (failures > 0)
                    {
                        await Task.Delay(_backoff.GetDelay(failures), TimeProvider, token).ConfigureAwait(false);
                    }

                    try
                    {
                        connection = await ConnectAsync(1, token).ConfigureAwait(false);
                    }
                    catch (RedisConnectionException ex)
                    {
                        failures++;
                        Volatile.Write(ref _lastError, ex);
                        // Debug only: the state change (lost / initial failure) was already logged once.
                        LogReconnectFailed(Logger, Kind, failures, ex.Message);
                    }
                }

                LogConnectionRestored(Logger, Kind, connection.EndPoint, failures + 1, TimeProvider.GetElapsedTime(started));
                RaiseStateChanged(new RedisConnectionStateChangedEventArgs(Kind, true, connection.EndPoint, null));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            // Not expected; logged so a bug here is visible rather than silently stopping reconnects.
            LogSupervisorCrashed(Logger, ex, Kind);
        }

        // A connection made while shutting down has not been published to DisposeAsync; close it here.
        if (connection is not null && !ReferenceEquals(Volatile.Read(ref _current), connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Waits until the connection fails (or shutdown), pinging it every keep-alive interval meanwhile.
    private async Task<Exception> WatchAsync(PhysicalConnection connection, CancellationToken token)
    {
        var keepAlive = Configuration.KeepAlive;
        if (keepAlive <= TimeSpan.Zero)
        {
            return await connection.Closed.WaitAsync(token).ConfigureAwait(false);
        }

        while (true)
        {
            // Per-tick source so the timer is released as soon as the connection closes.
            using var tickSource = CancellationTokenSource.CreateLinkedTokenSource(token);
            var tick = Task.Delay(keepAlive, TimeProvider, tickSource.Token);
            var finished = await Task.WhenAny(connection.Closed, tick).ConfigureAwait(false);
            if (finished == connection.Closed)
            {
                await tickSource.CancelAsync().ConfigureAwait(false);
                return await connection.Closed.ConfigureAwait(false);
            }

            await tick.ConfigureAwait(false); // throws when shutting down
            try
            {
                await connection.SendAsync([new RedisCommand("PING")], 1, Configuration.CommandTimeout, token).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // A timed-out PING already failed the connection; Closed completes next time round.
            }
        }
    }

    private void RaiseStateChanged(RedisConnectionStateChangedEventArgs args)
    {
        try
        {
            _onStateChanged(args);
        }
        catch (Exception ex)
        {
            LogStateHandlerFailed(Logger, ex, Kind);
        }
    }
}
