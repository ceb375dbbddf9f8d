using Hub.Server.Common;
using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Backplane;

/// <summary>
/// SignalR's official Redis backplane with the little Hub needs on top of it. Everything goes to
/// <c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>'s manager, except:
/// <list type="bullet">
/// <item>a user named twice gets the message once, as with SignalR's in-memory manager (the official manager publishes
/// once per name given); sends to several connections are split into local and remote ones before they get here
/// (<see cref="ConnectionTrackingHubLifetimeManager{THub}"/>, which wraps this one);</item>
/// <item>adding or removing a connection of another node to a group waits at most
/// <see cref="RedisBackplaneOptions.GroupAckTimeout"/> and then logs instead of throwing (the official manager waits
/// 30 s, then throws: a connection that just closed elsewhere would fail the caller's whole hub method);</item>
/// <item>client results are bounded by <see cref="RedisBackplaneOptions.ClientResultTimeout"/>;</item>
/// <item>Redis failures surface as <see cref="StoreUnavailableException"/>, the error every Hub caller handles.</item>
/// </list>
/// </summary>
/// <typeparam name="THub">The hub.</typeparam>
internal sealed partial class HubBackplane<THub> : HubLifetimeManager<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub> _inner;
    private readonly HubConnectionRegistry<THub> _local;
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;

    /// <summary>Wraps the official manager (a singleton of its own, which the container disposes).</summary>
    public HubBackplane(Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub> inner, HubConnectionRegistry<THub> local,
        IOptions<RedisBackplaneOptions> options, ILogger<HubBackplane<THub>> logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _local = local;
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override Task OnConnectedAsync(HubConnectionContext connection) => Redis(_inner.OnConnectedAsync(connection));

    /// <inheritdoc/>
    public override Task OnDisconnectedAsync(HubConnectionContext connection) => Redis(_inner.OnDisconnectedAsync(connection));

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
    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Redis(_inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

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
        if (_local.Find(connectionId) is not null)
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
            Log.GroupAckTimeout(_logger, add ? "add" : "remove", connectionId, groupName, _options.GroupAckTimeout);
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
}
