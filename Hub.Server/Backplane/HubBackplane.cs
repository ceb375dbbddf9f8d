using Hub.Server.Delivery;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Backplane;

/// <summary>
/// SignalR's official Redis backplane with the little Hub needs on top of it. Everything goes to
/// <c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>'s manager, except:
/// <list type="bullet">
/// <item>sends to several connections write the local ones directly, serialized once per protocol (the official
/// manager publishes once per connection id, even for a connection on this node), and a connection or user named
/// twice gets the message once, as with SignalR's in-memory manager;</item>
/// <item>adding or removing a connection of another node to a group waits at most
/// <see cref="RedisBackplaneOptions.GroupAckTimeout"/> and then logs instead of throwing (the official manager waits
/// 30 s, then throws: a connection that just closed elsewhere would fail the caller's whole hub method);</item>
/// <item>client results are bounded by <see cref="RedisBackplaneOptions.ClientResultTimeout"/>;</item>
/// <item>Redis failures surface as <see cref="StoreUnavailableException"/>, the error every Hub caller handles.</item>
/// </list>
/// </summary>
/// <typeparam name="THub">The hub.</typeparam>
public sealed partial class HubBackplane<THub> : HubLifetimeManager<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub> _inner;
    private readonly HubConnectionStore _local = new();
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;

    /// <summary>Wraps the official manager (a singleton of its own, which the container disposes).</summary>
    public HubBackplane(Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub> inner, IOptions<RedisBackplaneOptions> options, ILogger<HubBackplane<THub>> logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await Redis(_inner.OnConnectedAsync(connection));
        _local.Add(connection);
    }

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _local.Remove(connection);
        return Redis(_inner.OnDisconnectedAsync(connection));
    }

    /// <inheritdoc/>
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendAllAsync(methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    /// <inheritdoc/>
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        List<string>? remote = null;
        SerializedHubMessage? message = null;
        List<Task>? writes = null;
        // Each connection once, however often it is named, as SignalR's in-memory manager does.
        foreach (var connectionId in connectionIds.Count == 1 ? connectionIds : connectionIds.Distinct(StringComparer.Ordinal))
        {
            if (_local[connectionId] is { } connection)
            {
                // One SerializedHubMessage for every local receiver: it serializes once per protocol, on first use.
                message ??= new SerializedHubMessage(new InvocationMessage(methodName, args));
                var write = connection.WriteAsync(message, cancellationToken);
                if (!write.IsCompletedSuccessfully)
                {
                    (writes ??= []).Add(write.AsTask());
                }
            }
            else
            {
                (remote ??= []).Add(connectionId);
            }
        }
        if (remote is not null)
        {
            (writes ??= []).Add(Redis(_inner.SendConnectionsAsync(remote, methodName, args, cancellationToken)));
        }
        if (writes is not null)
        {
            await Task.WhenAll(writes);
        }
    }

    /// <inheritdoc/>
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendGroupAsync(groupName, methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    /// <inheritdoc/>
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendUserAsync(userId, methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        // Each user once (the official manager publishes once per name given, so a repeated name got it twice).
        Redis(_inner.SendUsersAsync([.. userIds.Distinct(StringComparer.Ordinal)], methodName, args, cancellationToken));

    /// <inheritdoc/>
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        GroupActionAsync(connectionId, groupName, add: true, cancellationToken);

    /// <inheritdoc/>
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        GroupActionAsync(connectionId, groupName, add: false, cancellationToken);

    /// <inheritdoc/>
    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ClientResultTimeout);
        try
        {
            return await Redis(_inner.InvokeConnectionAsync<T>(connectionId, methodName, args, timeout.Token));
        }
        // The official manager reports its cancellation as HubException("Invocation canceled by the server.").
        catch (Exception ex) when (ex is OperationCanceledException or HubException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Connection '{connectionId}' did not return a result within {_options.ClientResultTimeout}.");
        }
    }

    /// <inheritdoc/>
    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) => _inner.SetConnectionResultAsync(connectionId, result);

    /// <inheritdoc/>
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _inner.TryGetReturnType(invocationId, out type);

    private async Task GroupActionAsync(string connectionId, string groupName, bool add, CancellationToken cancellationToken)
    {
        var action = add ? _inner.AddToGroupAsync(connectionId, groupName, cancellationToken) : _inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        if (_local[connectionId] is not null)
        {
            // Local: the official manager only (un)subscribes the group's channel, no ack to wait for.
            await Redis(action);
            return;
        }
        try
        {
            await Redis(action).WaitAsync(_options.GroupAckTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The connection exists nowhere (it closed meanwhile) or its node does not answer. SignalR's in-memory
            // manager ignores unknown connections too; the official Redis one would throw after 30 s, so observe that.
            _ = action.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            LogGroupAckTimeout(_logger, add ? "add" : "remove", connectionId, groupName, _options.GroupAckTimeout);
        }
    }

    // Redis errors become the store's error, which hubs turn into "Store unavailable, retry." for the client.
    private static async Task Redis(Task task)
    {
        try
        {
            await task;
        }
        catch (RedisException ex)
        {
            throw new StoreUnavailableException(ex);
        }
    }

    private static async Task<T> Redis<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        catch (RedisException ex)
        {
            throw new StoreUnavailableException(ex);
        }
    }

    [LoggerMessage(304, LogLevel.Warning, "Backplane: no ack within {Timeout} to {Action} connection {ConnectionId} to/from group {Group}; it exists nowhere or its node does not answer.")]
    private static partial void LogGroupAckTimeout(ILogger logger, string action, string connectionId, string group, TimeSpan timeout);
}
