using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// The node's subscriptions (announcements and probes), on a multiplexer of their own: a subscription that went
/// silent without its socket failing can then be reset by replacing that multiplexer, without touching commands.
/// Each channel has one StackExchange.Redis <see cref="ChannelMessageQueue"/>, processed sequentially, so the handlers
/// see a channel's messages one at a time in publish order. A channel registered while Redis is down is subscribed
/// by StackExchange.Redis when it connects (<see cref="SubscribePendingAsync"/> retries one whose registration failed).
/// </summary>
public sealed partial class RedisSubscriber : IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changes = new(1, 1);
    private Task<ConnectionMultiplexer> _connection;
    private volatile bool _subscriptionDown;
    private bool _disposed;

    /// <summary>Starts connecting in the background.</summary>
    /// <param name="configuration">Settings from <see cref="RedisConnectionConfiguration"/>.</param>
    /// <param name="logger">Log.</param>
    public RedisSubscriber(ConfigurationOptions configuration, ILogger logger)
    {
        _configuration = configuration;
        _logger = logger;
        _connection = ConnectAsync();
    }

    /// <summary>
    /// Raised when the subscription connection is lost (<c>false</c>) or restored (<c>true</c>); StackExchange.Redis
    /// resubscribes every channel on its own after a restore.
    /// </summary>
    public event Action<bool>? ConnectionChanged;

    /// <summary>Whether the subscription connection is up and every registered channel is subscribed.</summary>
    public bool IsConnected
    {
        get
        {
            if (_connection is not { IsCompletedSuccessfully: true } connecting || !connecting.Result.GetSubscriber().IsConnected())
            {
                return false;
            }
            lock (_gate)
            {
                return _channels.Values.All(c => c.Queue is not null);
            }
        }
    }

    /// <summary>The current subscription multiplexer (tests make it go silent through it).</summary>
    internal Task<ConnectionMultiplexer> Connection => _connection;

    /// <summary>
    /// Calls <paramref name="handler"/> with every message of <paramref name="channel"/>, one at a time in publish
    /// order, until the returned subscription is disposed. While Redis is down the channel is subscribed once it is
    /// back; messages published meanwhile are missed (the subscription monitor raises its gap).
    /// </summary>
    /// <param name="channel">The channel (literal, no pattern).</param>
    /// <param name="handler">Called on StackExchange.Redis's queue loop; it must not block.</param>
    /// <param name="cancellationToken">Cancels the wait for the subscription.</param>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<RedisValue> handler, CancellationToken cancellationToken = default) =>
        SubscribeAsync([channel], sharded: false, handler, cancellationToken);

    /// <summary>
    /// As <see cref="SubscribeAsync(string, Action{RedisValue}, CancellationToken)"/> for several channels at once, each
    /// with its own queue (so in publish order per channel; the channels' handlers may run concurrently), confirmed
    /// with one round trip.
    /// </summary>
    /// <param name="channels">The channels.</param>
    /// <param name="sharded">
    /// Whether they are sharded channels (<c>SSUBSCRIBE</c>, published with <c>SPUBLISH</c>): on a Redis Cluster each
    /// is served by the master that owns its slot.
    /// </param>
    /// <param name="handler">Called on StackExchange.Redis's queue loops; it must not block.</param>
    /// <param name="cancellationToken">Cancels the wait for the subscription.</param>
    public async Task<IAsyncDisposable> SubscribeAsync(IReadOnlyList<string> channels, bool sharded, Action<RedisValue> handler,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(handler);
        var registrations = channels.Select(c => new Registration(this, c, handler)).ToList();
        await _changes.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var added = new List<Channel>();
            lock (_gate)
            {
                foreach (var name in channels)
                {
                    if (!_channels.TryGetValue(name, out var existing))
                    {
                        _channels[name] = existing = new Channel(name, sharded);
                        added.Add(existing);
                    }
                    existing.Handlers = [.. existing.Handlers, handler];
                }
            }
            if (added.Count > 0)
            {
                var connection = await _connection.WaitAsync(cancellationToken);
                await AttachAsync(connection, added, cancellationToken);
            }
        }
        finally
        {
            _changes.Release();
        }
        return registrations.Count == 1 ? registrations[0] : new Registrations(registrations);
    }

    /// <summary>Subscribes every channel whose registration failed; true if there was any (it missed messages).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<bool> SubscribePendingAsync(CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var connection = await _connection.WaitAsync(cancellationToken);
            var pending = Snapshot().Where(c => c.Queue is null).ToList();
            await AttachAsync(connection, pending, cancellationToken);
            return pending.Any(channel => channel.Queue is not null);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Replaces the subscription multiplexer: closes it, connects a new one and subscribes every registered channel
    /// on it. For a subscription that stopped delivering while its socket looks fine.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the new connection.</param>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var old = _connection;
            lock (_gate)
            {
                foreach (var channel in _channels.Values)
                {
                    channel.Queue = null;
                }
            }
            await CloseAsync(old);
            _connection = ConnectAsync();
            var connection = await _connection.WaitAsync(cancellationToken);
            _subscriptionDown = false; // The new multiplexer reports its own failures.
            await AttachAsync(connection, Snapshot(), cancellationToken);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _changes.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            await CloseAsync(_connection);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_configuration);
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        return connection;
    }

    private async Task CloseAsync(Task<ConnectionMultiplexer> connecting)
    {
        try
        {
            var connection = await connecting;
            // Closed on purpose: its closing is no interruption to report.
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
            await connection.DisposeAsync();
        }
        catch (RedisException)
        {
            // Never connected: nothing to close.
        }
    }

    // Subscribes the channels, each awaited until Redis confirms it: on a Redis Cluster each sharded channel is
    // subscribed on its slot's master, so one PING on one node's subscription connection would not say that the others
    // deliver yet (a message published there meanwhile would be missed). While Redis is down, fire and forget:
    // StackExchange.Redis keeps the subscription and subscribes it again whenever the connection is (re)established, so
    // a channel registered while Redis is down is subscribed when it comes up. Should the call itself fail, the channel
    // stays pending (SubscribePendingAsync tries again) and StackExchange.Redis's own registration of it is dropped, so
    // no queue is left behind that nobody reads.
    private async Task AttachAsync(ConnectionMultiplexer connection, IReadOnlyList<Channel> channels, CancellationToken cancellationToken) =>
        await Task.WhenAll(channels.Select(channel => AttachAsync(connection, channel))).WaitAsync(cancellationToken);

    private async Task AttachAsync(ConnectionMultiplexer connection, Channel channel)
    {
        var subscriber = connection.GetSubscriber();
        var name = channel.Sharded ? RedisChannel.Sharded(channel.Name) : RedisChannel.Literal(channel.Name);
        try
        {
            var queue = connection.IsConnected ? await subscriber.SubscribeAsync(name) : subscriber.Subscribe(name, CommandFlags.FireAndForget);
            queue.OnMessage(message =>
            {
                foreach (var handler in channel.Handlers)
                {
                    handler(message.Message);
                }
            });
            lock (_gate)
            {
                channel.Queue = queue;
            }
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            Log.SubscribeDeferred(_logger, channel.Name, ex.Message);
            try
            {
                subscriber.Unsubscribe(name, handler: null, CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // Down: the local registration is gone all the same.
            }
        }
    }

    private async Task DetachAsync(Registration registration)
    {
        await _changes.WaitAsync();
        try
        {
            ChannelMessageQueue? unsubscribe = null;
            lock (_gate)
            {
                if (!_channels.TryGetValue(registration.ChannelName, out var channel))
                {
                    return;
                }
                channel.Handlers = [.. channel.Handlers.Where(h => h != registration.Handler)];
                if (channel.Handlers.Length == 0)
                {
                    _channels.Remove(channel.Name);
                    unsubscribe = channel.Queue;
                }
            }
            if (unsubscribe is not null && !_disposed)
            {
                try
                {
                    await unsubscribe.UnsubscribeAsync();
                }
                catch (RedisException)
                {
                    // Down: the subscription died with the connection.
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    private List<Channel> Snapshot()
    {
        lock (_gate)
        {
            return [.. _channels.Values];
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && !_subscriptionDown)
        {
            _subscriptionDown = true;
            Log.SubscriptionLost(_logger, e.FailureType, e.Exception?.Message);
            ConnectionChanged?.Invoke(false);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && _subscriptionDown)
        {
            _subscriptionDown = false;
            Log.SubscriptionRestored(_logger);
            ConnectionChanged?.Invoke(true);
        }
    }

    private sealed class Channel(string name, bool sharded)
    {
        public string Name { get; } = name;

        public bool Sharded { get; } = sharded;

        /// <summary>Replaced, never changed in place: the queue loop reads it without a lock.</summary>
        public Action<RedisValue>[] Handlers { get; set; } = [];

        public ChannelMessageQueue? Queue { get; set; }
    }

    private sealed class Registrations(List<Registration> all) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var registration in all)
            {
                await registration.DisposeAsync();
            }
        }
    }

    private sealed class Registration(RedisSubscriber owner, string channel, Action<RedisValue> handler) : IAsyncDisposable
    {
        private int _disposed;

        public string ChannelName => channel;

        public Action<RedisValue> Handler => handler;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await owner.DetachAsync(this);
            }
        }
    }
}
