using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// A <see cref="HubLifetimeManager{THub}"/> that records each connection of this node in
/// <see cref="HubConnectionRegistry{THub}"/> and delegates everything to the real manager (SignalR's default one, or
/// the Redis backplane). SignalR calls the manager's <c>OnConnectedAsync</c> before the hub's and its
/// <c>OnDisconnectedAsync</c> after the hub's, so the connection is known for the hub's whole lifetime.
/// </summary>
/// <typeparam name="THub">The hub.</typeparam>
internal sealed class ConnectionTrackingHubLifetimeManager<THub> : HubLifetimeManager<THub>, IAsyncDisposable, IDisposable
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly HubLifetimeManager<THub> _inner;
    private readonly HubConnectionRegistry<THub> _registry;

    /// <summary>Creates the inner manager named by <paramref name="inner"/> with the container's services.</summary>
    public ConnectionTrackingHubLifetimeManager(IServiceProvider services, InnerHubLifetimeManager inner, HubConnectionRegistry<THub> registry)
    {
        // Not resolved from the container: HubLifetimeManager<THub> is this type there. The inner one is owned (disposed) here.
        _inner = (HubLifetimeManager<THub>)ActivatorUtilities.CreateInstance(services, inner.OpenType.MakeGenericType(typeof(THub)));
        _registry = registry;
    }

    /// <inheritdoc/>
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _registry.Add(connection);
        try
        {
            await _inner.OnConnectedAsync(connection);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection the manager refused.
            _registry.Remove(connection);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        try
        {
            await _inner.OnDisconnectedAsync(connection);
        }
        finally
        {
            _registry.Remove(connection);
        }
    }

    /// <inheritdoc/>
    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _inner.AddToGroupAsync(connectionId, groupName, cancellationToken);

    /// <inheritdoc/>
    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    /// <inheritdoc/>
    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendAllAsync(methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    /// <inheritdoc/>
    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    /// <summary>
    /// Writes to the connections on this node directly, with one <see cref="SerializedHubMessage"/> (serialized once
    /// per protocol, on first use), and passes only the others to the inner manager: SignalR's Redis backplane
    /// publishes once per connection id, even for a connection on this node. Each connection gets the message once
    /// however often it is named, as with SignalR's in-memory manager.
    /// </summary>
    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connectionIds);
        List<string>? remote = null;
        SerializedHubMessage? message = null;
        List<Task>? writes = null;
        foreach (var connectionId in connectionIds.Count == 1 ? connectionIds : connectionIds.Distinct(StringComparer.Ordinal))
        {
            if (_registry.Find(connectionId) is { } connection)
            {
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
            (writes ??= []).Add(_inner.SendConnectionsAsync(remote, methodName, args, cancellationToken));
        }
        if (writes is not null)
        {
            await Task.WhenAll(writes);
        }
    }

    /// <inheritdoc/>
    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendGroupAsync(groupName, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    /// <inheritdoc/>
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUserAsync(userId, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    /// <inheritdoc/>
    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _inner.SetConnectionResultAsync(connectionId, result);

    /// <inheritdoc/>
    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _inner.TryGetReturnType(invocationId, out type);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        switch (_inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        switch (_inner)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IAsyncDisposable asyncDisposable:
                asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                break;
        }
    }
}
