using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Hub.Redis;
using Hub.Server.Backplane.Internal;
using Hub.Server.Storage.Redis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Hub.Server.Backplane;

/// <summary>
/// A SignalR <see cref="HubLifetimeManager{THub}"/> that spreads messages, group membership and client results over
/// Redis pub/sub, so a hub scaled out to several nodes behaves like one.
/// </summary>
/// <remarks>
/// <para>
/// Channels (all under <c>{prefix}:backplane:{hub}:</c>): <c>all</c>; <c>group:{name}</c>, subscribed by a node
/// while it has a member of the group; <c>connection:{id}</c> per local connection; <c>user:{id}</c> while a user has
/// a local connection; <c>internal:groups</c> for group commands; <c>internal:ack:{node}</c> and
/// <c>internal:return:{node}</c> for answers addressed to one node.
/// </para>
/// <para>
/// Delivery: the sending node writes to its own matching connections directly and publishes once for the others;
/// receivers skip what they published themselves. A send that targets only connections of this node (for example
/// <c>Clients.Clients(localIds)</c>) never touches Redis. Each message is serialized once per hub protocol, by the
/// sender, and written as those bytes by every node.
/// </para>
/// <para>
/// Ordering: messages from one node to one connection arrive in the order they were sent. Like SignalR's own Redis
/// backplane, <see cref="SendGroupsAsync"/> delivers once per listed group the connection belongs to. Redis pub/sub
/// is fire-and-forget: a node cut off from Redis misses what was published meanwhile.
/// </para>
/// <para>
/// Group changes for a connection on another node are published to every node and wait for the owner's ack for at
/// most <see cref="RedisBackplaneOptions.GroupAckTimeout"/>. A connection that exists nowhere is a no-op, like in
/// SignalR's in-memory manager: the call returns after the timeout, logging a warning, without throwing.
/// </para>
/// </remarks>
/// <typeparam name="THub">The hub.</typeparam>
public sealed partial class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>, IAsyncDisposable
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly RedisStoreConnection _redis;
    private readonly IHubProtocolResolver _protocols;
    private readonly RedisBackplaneOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BackplaneChannels _channels;
    private readonly string _hubName;
    private readonly string _nodeName;
    private readonly string _invocationIdPrefix;
    private readonly string _connectionChannelPrefix;
    private readonly ConcurrentDictionary<string, LocalConnectionState> _local = new(StringComparer.Ordinal);
    private readonly ChannelMembership _groups;
    private readonly ChannelMembership _users;
    private readonly ChannelMembership _connectionChannels;
    private readonly AckTracker _acks = new();
    private readonly ClientResultRegistry _results = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _startLock = new();
    private Task<RedisClient>? _start;
    private RedisClient? _client;
    private List<IAsyncDisposable> _fixedSubscriptions = [];
    private long _lastInvocationId;
    private int _disposed;

    /// <summary>Creates the manager; nothing touches Redis until the first connection or send.</summary>
    /// <param name="redis">The node's shared Redis connection (its prefix scopes the channels).</param>
    /// <param name="protocols">The hub protocols: each message is serialized once in each of them.</param>
    /// <param name="options">Timeouts.</param>
    /// <param name="timeProvider">The clock for the timeouts.</param>
    /// <param name="logger">Where to log.</param>
    public RedisHubLifetimeManager(
        RedisStoreConnection redis,
        IHubProtocolResolver protocols,
        IOptions<RedisBackplaneOptions> options,
        TimeProvider timeProvider,
        ILogger<RedisHubLifetimeManager<THub>> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(protocols);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _protocols = protocols;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _hubName = typeof(THub).FullName ?? typeof(THub).Name;
        _channels = new BackplaneChannels(redis.Keys, _hubName);
        _connectionChannelPrefix = _channels.Connection(string.Empty);

        // Unique per manager instance (a restarted node is a new node: acks and results for the old one must not
        // reach it). The machine name is only there to make logs and PUBSUB listings readable.
        var unique = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _nodeName = $"{Environment.MachineName}_{unique}";
        // Invocation ids travel to other nodes, which track relayed invocations by id next to their own: the
        // node-unique prefix keeps ids from two nodes from colliding there.
        _invocationIdPrefix = unique + ".";

        _groups = new ChannelMembership(_channels.Group, SubscribeAsync, OnGroupMessage, logger);
        _users = new ChannelMembership(_channels.User, SubscribeAsync, OnUserMessage, logger);
        _connectionChannels = new ChannelMembership(_channels.Connection, SubscribeAsync, OnConnectionMessage, logger);
    }

    /// <summary>This node's name in the backplane (it appears in the ack and return channel names).</summary>
    public string NodeName => _nodeName;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var state = new LocalConnectionState(connection);
        _local[connection.ConnectionId] = state;

        // Both subscriptions are confirmed by Redis before the connection is reported connected, so a message
        // published to it (or its user) by another node right after its OnConnectedAsync reaches it. While Redis is
        // unreachable the client defers them instead (restored on reconnect), so connecting never fails for that.
        var cancellationToken = connection.ConnectionAborted;
        var subscriptions = new List<Task>(2) { _connectionChannels.AddAsync(connection.ConnectionId, connection, cancellationToken) };
        if (connection.UserIdentifier is { } user)
        {
            subscriptions.Add(_users.AddAsync(user, connection, cancellationToken));
        }

        await Task.WhenAll(subscriptions).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var connectionId = connection.ConnectionId;
        if (!_local.TryRemove(connectionId, out var state))
        {
            return;
        }

        var groups = state.Close();
        var removals = new List<Task>(groups.Length + 3) { _connectionChannels.RemoveAsync(connectionId, connection) };
        if (connection.UserIdentifier is { } user)
        {
            removals.Add(_users.RemoveAsync(user, connection));
        }

        foreach (var group in groups)
        {
            removals.Add(_groups.RemoveAsync(group, connection));
        }

        // Invocations waiting for this connection's answer, here or on other nodes, end now instead of timing out.
        removals.Add(_results.FailConnectionAsync(connectionId, $"Connection '{connectionId}' disconnected."));
        await Task.WhenAll(removals).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllCoreAsync(methodName, args, excludedConnectionIds: null, cancellationToken);

    /// <inheritdoc />
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        return SendAllCoreAsync(methodName, args, excludedConnectionIds, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        if (_local.TryGetValue(connectionId, out var state))
        {
            // Local short-circuit: serialized only in this connection's protocol, no Redis round trip.
            await state.Connection.WriteAsync(new InvocationMessage(methodName, args), cancellationToken).ConfigureAwait(false);
            return;
        }

        var payload = BackplaneProtocol.WriteInvocation(_nodeName, null, null, CreateMessage(methodName, args), _protocols.AllProtocols);
        await PublishAsync(_channels.Connection(connectionId), payload, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        var message = CreateMessage(methodName, args);
        List<Task>? writes = null;
        List<string>? remote = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var connectionId in connectionIds)
        {
            if (!seen.Add(connectionId))
            {
                continue;
            }

            if (_local.TryGetValue(connectionId, out var state))
            {
                Write(state.Connection, message, cancellationToken, ref writes);
            }
            else
            {
                (remote ??= []).Add(connectionId);
            }
        }

        // All local (the delivery path's case): done without Redis, with one serialization per protocol in use.
        Task publish = Task.CompletedTask;
        if (remote is not null)
        {
            var payload = BackplaneProtocol.WriteInvocation(_nodeName, null, null, message, _protocols.AllProtocols);
            publish = PublishToEachAsync(remote.Select(_channels.Connection), payload, cancellationToken);
        }

        await CompleteAsync(publish, writes).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        return SendGroupsCoreAsync([groupName], methodName, args, excludedConnectionIds: null, cancellationToken);
    }

    /// <inheritdoc />
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        foreach (var groupName in groupNames)
        {
            ArgumentException.ThrowIfNullOrEmpty(groupName, nameof(groupNames));
        }

        return SendGroupsCoreAsync(groupNames, methodName, args, excludedConnectionIds: null, cancellationToken);
    }

    /// <inheritdoc />
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        ArgumentNullException.ThrowIfNull(excludedConnectionIds);
        return SendGroupsCoreAsync([groupName], methodName, args, excludedConnectionIds, cancellationToken);
    }

    /// <inheritdoc />
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return SendUsersCoreAsync([userId], methodName, args, cancellationToken);
    }

    /// <inheritdoc />
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        return SendUsersCoreAsync(userIds.Distinct(StringComparer.Ordinal).ToArray(), methodName, args, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A connection of this node is added directly. Otherwise the command goes to every node and this waits for the
    /// owner's ack (so a send to the group right after this returns reaches the connection) for at most
    /// <see cref="RedisBackplaneOptions.GroupAckTimeout"/>; with no ack by then the connection exists nowhere (or its
    /// node is unresponsive) and the call returns without error, logging a warning.
    /// </remarks>
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        return _local.TryGetValue(connectionId, out var state)
            ? AddLocalAsync(state, groupName, cancellationToken)
            : SendGroupCommandAsync(GroupAction.Add, connectionId, groupName, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Same rules as <see cref="AddToGroupAsync"/>: remote connections are acked, unknown ones are a no-op after the timeout.</remarks>
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        return _local.TryGetValue(connectionId, out var state)
            ? RemoveLocalAsync(state, groupName)
            : SendGroupCommandAsync(GroupAction.Remove, connectionId, groupName, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Works for a connection on any node. Fails with <see cref="IOException"/> when the connection exists nowhere
    /// or disconnects before answering, with <see cref="HubException"/> when the client answers with an error, and
    /// with <see cref="TimeoutException"/> after <see cref="RedisBackplaneOptions.ClientResultTimeout"/>.
    /// </remarks>
    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(methodName);
        var invocationId = _invocationIdPrefix + Interlocked.Increment(ref _lastInvocationId).ToString(CultureInfo.InvariantCulture);

        // Registered before the invocation is written: the answer can then never arrive before we know its type.
        var result = _results.AddAwaited<T>(connectionId, invocationId);
        try
        {
            if (_local.TryGetValue(connectionId, out var state))
            {
                var connection = state.Connection;
                await connection.WriteAsync(new InvocationMessage(invocationId, methodName, args), cancellationToken).ConfigureAwait(false);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.ConnectionAborted);
                try
                {
                    return await WaitForResultAsync(result, invocationId, connectionId, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (connection.ConnectionAborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new IOException($"Connection '{connectionId}' disconnected.");
                }
            }

            var payload = BackplaneProtocol.WriteInvocation(
                _nodeName, invocationId, null, CreateMessage(invocationId, methodName, args), _protocols.AllProtocols);
            var receivers = await PublishAsync(_channels.Connection(connectionId), payload, cancellationToken).ConfigureAwait(false);
            if (receivers == 0)
            {
                // Nobody subscribes to the connection's channel: no node has it. Same error as SignalR's in-memory manager.
                throw new IOException($"Connection '{connectionId}' does not exist.");
            }

            return await WaitForResultAsync(result, invocationId, connectionId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _results.Remove(invocationId);
        }
    }

    /// <inheritdoc />
    public override async Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(result);
        if (!await _results.TryCompleteAsync(connectionId, result).ConfigureAwait(false))
        {
            BackplaneLog.ResultIgnored(_logger, result.InvocationId ?? "(none)", connectionId);
        }
    }

    /// <inheritdoc />
    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        _results.TryGetType(invocationId, out type);

    /// <summary>
    /// Unsubscribes every channel, ends pending group acks with <see cref="ObjectDisposedException"/> and pending
    /// client results with <see cref="IOException"/>. The shared Redis client itself is left open (it is not ours).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();
        _acks.CancelAll();
        _results.FailAll("The server is shutting down.");
        await Task.WhenAll(_groups.DisposeAsync(), _users.DisposeAsync(), _connectionChannels.DisposeAsync()).ConfigureAwait(false);

        Task<RedisClient>? start;
        lock (_startLock)
        {
            start = _start;
        }

        if (start is not null)
        {
            try
            {
                await start.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // It failed or was cancelled by _disposing: nothing of it to undo beyond what it undid itself.
            }
        }

        List<IAsyncDisposable> fixedSubscriptions;
        lock (_startLock)
        {
            fixedSubscriptions = _fixedSubscriptions;
            _fixedSubscriptions = [];
        }

        foreach (var subscription in fixedSubscriptions)
        {
            await DisposeQuietlyAsync(subscription).ConfigureAwait(false);
        }

        if (_client is { } client)
        {
            client.ConnectionStateChanged -= OnConnectionStateChanged;
        }
    }
}
