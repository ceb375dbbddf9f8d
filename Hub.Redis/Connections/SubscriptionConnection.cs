using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

/// <summary>
/// The pub/sub connection. Handlers are ref-counted per channel: the first handler of a channel sends
/// SUBSCRIBE, the last one to leave sends UNSUBSCRIBE. Messages are copied off the socket by the reader loop
/// and handed, in arrival order, to handlers by one dispatch loop, so a slow handler delays later messages
/// but never the socket. After a reconnect every channel is subscribed again before the connection is used.
/// </summary>
internal sealed partial class SubscriptionConnection : ConnectionSupervisor
{
    // Serialises decisions that send SUBSCRIBE/UNSUBSCRIBE (and resubscription), so they reach the server in
    // the order they were decided. Only writes happen under it; confirmations are awaited outside.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _handlersLock = new();
    // Copy-on-write arrays, so the dispatch loop can invoke a snapshot without holding the lock.
    private readonly Dictionary<string, Action<string, ReadOnlyMemory<byte>>[]> _handlers = new(StringComparer.Ordinal);
    private readonly Channel<(string Channel, ReadOnlyMemory<byte> Payload)> _messages =
        Channel.CreateUnbounded<(string, ReadOnlyMemory<byte>)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _dispatchLoop;

    public SubscriptionConnection(
        RedisConfiguration configuration,
        Action<RedisConnectionStateChangedEventArgs> onStateChanged,
        ILogger logger,
        TimeProvider timeProvider)
        : base(RedisConnectionKind.Subscription, configuration, onStateChanged, logger, timeProvider)
    {
        _dispatchLoop = Task.Run(DispatchLoopAsync);
    }

    protected override Func<RedisResult, bool>? PushHandler => TryHandlePush;

    /// <summary>Number of channels with at least one handler (for tests and diagnostics).</summary>
    public int ChannelCount
    {
        get
        {
            lock (_handlersLock)
            {
                return _handlers.Count;
            }
        }
    }

    /// <summary>
    /// Adds a handler. The first handler of a channel sends SUBSCRIBE and waits for its confirmation. If there is
    /// no connection right now the handler is kept and the channel is subscribed when the connection comes back.
    /// </summary>
    /// <exception cref="RedisServerException">The server refused the subscription (e.g. ACL); nothing is kept.</exception>
    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken)
    {
        var subscription = new ChannelSubscription(this, channel, handler);
        PhysicalConnection? connection = null;
        ReplySink? confirmation = null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (AddHandler(channel, handler) && Current is { } current)
            {
                connection = current;
                confirmation = await current.WriteAsync([new RedisCommand("SUBSCRIBE", channel)], 1, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RedisConnectionException ex)
        {
            // Kept: the reconnect resubscribes it.
            LogSubscribeDeferred(Logger, channel, ex.Message);
        }
        catch
        {
            RemoveHandler(channel, handler);
            throw;
        }
        finally
        {
            _gate.Release();
        }

        if (confirmation is null)
        {
            return subscription;
        }

        try
        {
            var reply = (await connection!.WaitAsync(confirmation, "SUBSCRIBE", Configuration.CommandTimeout, cancellationToken).ConfigureAwait(false))[0];
            if (reply.IsError)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
                throw new RedisServerException(reply.ErrorMessage!);
            }
        }
        catch (RedisException ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            LogSubscribeDeferred(Logger, channel, ex.Message);
        }
        catch (OperationCanceledException)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return subscription;
    }

    /// <summary>Removes one handler; the channel's last handler sends UNSUBSCRIBE. Never throws for connectivity.</summary>
    public async Task UnsubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        PhysicalConnection? connection = null;
        ReplySink? confirmation = null;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (RemoveHandler(channel, handler) && Current is { } current)
            {
                connection = current;
                confirmation = await current.WriteAsync([new RedisCommand("UNSUBSCRIBE", channel)], 1, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (RedisConnectionException)
        {
            // The connection is gone, and with it the server-side subscription; the reconnect will not restore it.
        }
        finally
        {
            _gate.Release();
        }

        if (confirmation is not null)
        {
            try
            {
                await connection!.WaitAsync(confirmation, "UNSUBSCRIBE", Configuration.CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RedisException ex)
            {
                LogUnsubscribeFailed(Logger, channel, ex.Message);
            }
        }
    }

    protected override async Task ActivateAsync(PhysicalConnection connection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] channels;
            lock (_handlersLock)
            {
                channels = [.. _handlers.Keys];
            }

            if (channels.Length > 0)
            {
                // One SUBSCRIBE for all channels: one write, one confirmation per channel.
                var arguments = new RedisValue[channels.Length];
                for (var i = 0; i < channels.Length; i++)
                {
                    arguments[i] = channels[i];
                }

                var replies = await connection.SendAsync(
                    [new RedisCommand("SUBSCRIBE", arguments)], channels.Length, Configuration.CommandTimeout, cancellationToken).ConfigureAwait(false);
                foreach (var reply in replies)
                {
                    if (reply.IsError)
                    {
                        LogResubscribeRejected(Logger, reply.ErrorMessage);
                    }
                }

                LogResubscribed(Logger, channels.Length, connection.EndPoint);
            }

            // Published under the gate: a concurrent SubscribeAsync either ran before (and is in the snapshot)
            // or runs after and sees this connection.
            Publish(connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task OnClosingAsync(PhysicalConnection connection)
    {
        // Polite goodbye; closing the socket would drop the subscriptions anyway, so errors do not matter.
        if (ChannelCount == 0)
        {
            return;
        }

        try
        {
            var sink = await connection.WriteAsync([new RedisCommand("UNSUBSCRIBE")], 1, CancellationToken.None).ConfigureAwait(false);
            await connection.WaitAsync(sink, "UNSUBSCRIBE", TimeSpan.FromSeconds(1), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Closing anyway.
        }
    }

    protected override async ValueTask OnDisposedAsync()
    {
        _messages.Writer.TryComplete();
        await _dispatchLoop.ConfigureAwait(false);
        lock (_handlersLock)
        {
            _handlers.Clear();
        }
    }

    // Runs on the reader loop: recognise ["message", channel, payload] and queue it; everything else
    // (subscribe/unsubscribe confirmations, pong) answers a pending command.
    private bool TryHandlePush(RedisResult reply)
    {
        if (reply.Kind != RedisResultKind.Array || reply.IsNull || reply.Count != 3)
        {
            return false;
        }

        var type = reply[0];
        if (type.Kind != RedisResultKind.BulkString || type.IsNull || !type.AsMemory().Span.SequenceEqual("message"u8))
        {
            return false;
        }

        // The payload is the reply's own copy of the bytes, so handlers may keep it.
        _messages.Writer.TryWrite((reply[1].AsString() ?? string.Empty, reply[2].IsNull ? default : reply[2].AsMemory()));
        return true;
    }

    private async Task DispatchLoopAsync()
    {
        await foreach (var (channel, payload) in _messages.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Action<string, ReadOnlyMemory<byte>>[]? handlers;
            lock (_handlersLock)
            {
                _handlers.TryGetValue(channel, out handlers);
            }

            if (handlers is null)
            {
                continue;
            }

            foreach (var handler in handlers)
            {
                try
                {
                    handler(channel, payload);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(Logger, ex, channel);
                }
            }
        }
    }

    // True when this is the channel's first handler.
    private bool AddHandler(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        lock (_handlersLock)
        {
            if (_handlers.TryGetValue(channel, out var existing))
            {
                _handlers[channel] = [.. existing, handler];
                return false;
            }

            _handlers[channel] = [handler];
            return true;
        }
    }

    // True when this removed the channel's last handler.
    private bool RemoveHandler(string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        lock (_handlersLock)
        {
            if (!_handlers.TryGetValue(channel, out var existing))
            {
                return false;
            }

            var index = Array.IndexOf(existing, handler);
            if (index < 0)
            {
                return false;
            }

            if (existing.Length == 1)
            {
                _handlers.Remove(channel);
                return true;
            }

            _handlers[channel] = [.. existing[..index], .. existing[(index + 1)..]];
            return false;
        }
    }
}
