using System.Buffers;
using Hub.Redis;
using Hub.Server.Backplane.Internal;
using Hub.Server.Delivery;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Backplane;

// The Redis side: publishing, subscriptions, and the handlers for what other nodes publish.
public sealed partial class RedisHubLifetimeManager<THub>
{
    private async Task SendAllCoreAsync(string methodName, object?[] args, IReadOnlyList<string>? excludedConnectionIds, CancellationToken cancellationToken)
    {
        var message = CreateMessage(methodName, args);
        var excluded = ToSet(excludedConnectionIds);
        List<Task>? writes = null;
        foreach (var (connectionId, state) in _local)
        {
            if (excluded is null || !excluded.Contains(connectionId))
            {
                Write(state.Connection, message, cancellationToken, ref writes);
            }
        }

        var payload = BackplaneProtocol.WriteInvocation(_nodeName, null, excludedConnectionIds, message, _protocols.AllProtocols);
        await CompleteAsync(PublishAsync(_channels.All, payload, cancellationToken), writes).ConfigureAwait(false);
    }

    private async Task SendGroupsCoreAsync(
        IReadOnlyList<string> groupNames,
        string methodName,
        object?[] args,
        IReadOnlyList<string>? excludedConnectionIds,
        CancellationToken cancellationToken)
    {
        if (groupNames.Count == 0)
        {
            return;
        }

        var message = CreateMessage(methodName, args);
        var excluded = ToSet(excludedConnectionIds);
        List<Task>? writes = null;
        foreach (var groupName in groupNames)
        {
            foreach (var (connectionId, connection) in _groups.GetMembers(groupName))
            {
                if (excluded is null || !excluded.Contains(connectionId))
                {
                    Write(connection, message, cancellationToken, ref writes);
                }
            }
        }

        // Always published: this node cannot know which other nodes have members (a node with none is not
        // subscribed, and Redis drops the message for it at no cost to that node).
        var payload = BackplaneProtocol.WriteInvocation(_nodeName, null, excludedConnectionIds, message, _protocols.AllProtocols);
        await CompleteAsync(PublishToEachAsync(groupNames.Select(_channels.Group), payload, cancellationToken), writes).ConfigureAwait(false);
    }

    private async Task SendUsersCoreAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return;
        }

        var message = CreateMessage(methodName, args);
        List<Task>? writes = null;
        foreach (var userId in userIds)
        {
            foreach (var (_, connection) in _users.GetMembers(userId))
            {
                Write(connection, message, cancellationToken, ref writes);
            }
        }

        var payload = BackplaneProtocol.WriteInvocation(_nodeName, null, null, message, _protocols.AllProtocols);
        await CompleteAsync(PublishToEachAsync(userIds.Select(_channels.User), payload, cancellationToken), writes).ConfigureAwait(false);
    }

    private async Task AddLocalAsync(LocalConnectionState state, string groupName, CancellationToken cancellationToken)
    {
        if (!state.TrackGroup(groupName))
        {
            // Already disconnected: like SignalR's in-memory manager, adding a gone connection does nothing.
            return;
        }

        await _groups.AddAsync(groupName, state.Connection, cancellationToken).ConfigureAwait(false);
        if (state.IsClosed)
        {
            // The disconnect ran while we subscribed and may have missed this membership: undo it ourselves.
            await _groups.RemoveAsync(groupName, state.Connection).ConfigureAwait(false);
        }
    }

    private async Task RemoveLocalAsync(LocalConnectionState state, string groupName)
    {
        state.UntrackGroup(groupName);
        await _groups.RemoveAsync(groupName, state.Connection).ConfigureAwait(false);
    }

    private async Task SendGroupCommandAsync(GroupAction action, string connectionId, string groupName, CancellationToken cancellationToken)
    {
        var (ackId, acked) = _acks.Create();
        try
        {
            var command = new GroupCommand(ackId, _nodeName, action, connectionId, groupName);
            await PublishAsync(_channels.GroupManagement, BackplaneProtocol.WriteGroupCommand(command), cancellationToken).ConfigureAwait(false);
            await acked.WaitAsync(_options.GroupAckTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Decided behaviour: a connection that exists nowhere is a no-op, as in SignalR's in-memory manager.
            // Nobody can tell "exists nowhere" from "its node is too slow" here, so this is logged, not thrown.
            BackplaneLog.GroupAckTimedOut(_logger, action, connectionId, groupName, _options.GroupAckTimeout);
        }
        finally
        {
            _acks.Remove(ackId);
        }
    }

    private async Task<T> WaitForResultAsync<T>(Task<T> result, string invocationId, string connectionId, CancellationToken cancellationToken)
    {
        try
        {
            return await result.WaitAsync(_options.ClientResultTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!result.IsCompleted)
        {
            BackplaneLog.ResultTimedOut(_logger, invocationId, connectionId, _options.ClientResultTimeout);
            throw new TimeoutException($"Connection '{connectionId}' did not return a result within {_options.ClientResultTimeout}.");
        }
    }

    private static SerializedHubMessage CreateMessage(string methodName, object?[] args) =>
        new(new InvocationMessage(methodName, args));

    private static SerializedHubMessage CreateMessage(string invocationId, string methodName, object?[] args) =>
        new(new InvocationMessage(invocationId, methodName, args));

    private static HashSet<string>? ToSet(IReadOnlyList<string>? connectionIds) =>
        connectionIds is null || connectionIds.Count == 0 ? null : new HashSet<string>(connectionIds, StringComparer.Ordinal);

    /// <summary>A write for a send made on this node: awaited by the caller, like SignalR's in-memory manager does.</summary>
    private static void Write(HubConnectionContext connection, SerializedHubMessage message, CancellationToken cancellationToken, ref List<Task>? writes)
    {
        var write = connection.WriteAsync(message, cancellationToken);
        if (!write.IsCompletedSuccessfully)
        {
            (writes ??= []).Add(write.AsTask());
        }
    }

    private static Task CompleteAsync(Task publish, List<Task>? writes) =>
        writes is null ? publish : Task.WhenAll([publish, .. writes]);

    /// <summary>
    /// A write for a message from the backplane, started on the Redis dispatch loop and not awaited there (the loop
    /// must not block). Writes to one connection still happen in order: the connection's write lock queues them.
    /// </summary>
    private void WriteFromBackplane(HubConnectionContext connection, SerializedHubMessage message)
    {
        try
        {
            var write = connection.WriteAsync(message, _disposing.Token);
            if (!write.IsCompletedSuccessfully)
            {
                _ = ObserveWriteAsync(write, connection.ConnectionId);
            }
        }
        catch (Exception ex)
        {
            // E.g. the message lacks this connection's protocol (the sender did not have it).
            BackplaneLog.WriteFailed(_logger, connection.ConnectionId, ex);
        }
    }

    private async Task ObserveWriteAsync(ValueTask write, string connectionId)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BackplaneLog.WriteFailed(_logger, connectionId, ex);
        }
    }

    private Task PublishToEachAsync(IEnumerable<string> channels, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        Task.WhenAll(channels.Select(channel => PublishAsync(channel, payload, cancellationToken)));

    /// <summary>Publishes; Redis being unreachable surfaces as <see cref="StoreUnavailableException"/>, like every store call.</summary>
    private async Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var client = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.PublishAsync(channel, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw new StoreUnavailableException(ex);
        }
    }

    private async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken)
    {
        var client = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await client.SubscribeAsync(channel, handler, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The client, once the node's own channels (all, group commands, its acks and returns) are subscribed. Started
    /// on first use rather than in the constructor, which cannot await; a failed start is retried by the next call.
    /// </summary>
    private Task<RedisClient> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        var start = Volatile.Read(ref _start);
        if (start is null || start.IsFaulted || start.IsCanceled)
        {
            lock (_startLock)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                start = _start;
                if (start is null || start.IsFaulted || start.IsCanceled)
                {
                    _start = start = StartAsync();
                }
            }
        }

        return start.IsCompletedSuccessfully ? start : start.WaitAsync(cancellationToken);
    }

    private async Task<RedisClient> StartAsync()
    {
        var token = _disposing.Token;
        var client = await _redis.GetClientAsync(token).ConfigureAwait(false);
        Task<IAsyncDisposable>[] subscribing =
        [
            client.SubscribeAsync(_channels.All, OnAllMessage, token),
            client.SubscribeAsync(_channels.GroupManagement, OnGroupCommand, token),
            client.SubscribeAsync(_channels.Ack(_nodeName), OnAck, token),
            client.SubscribeAsync(_channels.Return(_nodeName), OnReturn, token),
        ];
        try
        {
            await Task.WhenAll(subscribing).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!token.IsCancellationRequested)
            {
                BackplaneLog.StartFailed(_logger, _hubName, ex);
            }

            foreach (var subscription in subscribing.Where(s => s.IsCompletedSuccessfully))
            {
                await DisposeQuietlyAsync(subscription.Result).ConfigureAwait(false);
            }

            throw;
        }

        lock (_startLock)
        {
            _fixedSubscriptions = [.. subscribing.Select(s => s.Result)];
            _client = client;
        }

        client.ConnectionStateChanged += OnConnectionStateChanged;
        BackplaneLog.Started(_logger, _hubName, _nodeName);
        return client;
    }

    // The handlers below run on the Redis client's single dispatch loop: they decode, start writes and return.

    private void OnAllMessage(string channel, ReadOnlyMemory<byte> payload)
    {
        if (!TryReadInvocation(channel, payload, out var invocation) || invocation.Origin == _nodeName)
        {
            return;
        }

        var excluded = ToSet(invocation.ExcludedConnectionIds);
        foreach (var (connectionId, state) in _local)
        {
            if (excluded is null || !excluded.Contains(connectionId))
            {
                WriteFromBackplane(state.Connection, invocation.Message);
            }
        }
    }

    private void OnGroupMessage(string channel, IReadOnlyDictionary<string, HubConnectionContext> members, ReadOnlyMemory<byte> payload)
    {
        // The origin wrote to its own members when it sent; a second copy from Redis would duplicate.
        if (!TryReadInvocation(channel, payload, out var invocation) || invocation.Origin == _nodeName)
        {
            return;
        }

        var excluded = ToSet(invocation.ExcludedConnectionIds);
        foreach (var (connectionId, connection) in members)
        {
            if (excluded is null || !excluded.Contains(connectionId))
            {
                WriteFromBackplane(connection, invocation.Message);
            }
        }
    }

    private void OnUserMessage(string channel, IReadOnlyDictionary<string, HubConnectionContext> members, ReadOnlyMemory<byte> payload)
    {
        if (!TryReadInvocation(channel, payload, out var invocation) || invocation.Origin == _nodeName)
        {
            return;
        }

        foreach (var (_, connection) in members)
        {
            WriteFromBackplane(connection, invocation.Message);
        }
    }

    private void OnConnectionMessage(string channel, IReadOnlyDictionary<string, HubConnectionContext> members, ReadOnlyMemory<byte> payload)
    {
        // Not skipped when this node is the origin: it only publishes to connections it did not have, so the
        // connection arrived here in the meantime and has had nothing directly.
        if (!TryReadInvocation(channel, payload, out var invocation))
        {
            return;
        }

        var relay = invocation.InvocationId is not null && invocation.Origin != _nodeName;
        if (relay && members.Count == 0)
        {
            // The connection left between the publish and now: answer for it rather than let the caller time out.
            var connectionId = channel[_connectionChannelPrefix.Length..];
            _ = PublishReturnAsync(invocation.Origin, new ClientReturn(
                invocation.InvocationId!, connectionId, null, default, $"Connection '{connectionId}' disconnected."));
            return;
        }

        foreach (var (_, connection) in members)
        {
            if (relay)
            {
                RelayClientResult(invocation.InvocationId!, invocation.Origin, connection);
            }

            WriteFromBackplane(connection, invocation.Message);
        }
    }

    /// <summary>
    /// Tracks an invocation another node made for <paramref name="connection"/>, so the client's completion (parsed
    /// here as a <see cref="RawResult"/>, never deserialized) is published back to <paramref name="origin"/>.
    /// </summary>
    private void RelayClientResult(string invocationId, string origin, HubConnectionContext connection)
    {
        var connectionId = connection.ConnectionId;
        try
        {
            _results.AddProxy(
                invocationId,
                connectionId,
                completion =>
                {
                    var protocol = connection.Protocol;
                    var serialized = protocol.GetMessageBytes(completion);
                    return PublishReturnAsync(origin, new ClientReturn(invocationId, connectionId, protocol.Name, serialized, null));
                },
                error => PublishReturnAsync(origin, new ClientReturn(invocationId, connectionId, null, default, error)));
        }
        catch (InvalidOperationException ex)
        {
            BackplaneLog.InvalidMessage(_logger, _channels.Connection(connectionId), ex);
            return;
        }

        _ = ForgetRelayAfterTimeoutAsync(invocationId);
    }

    /// <summary>
    /// A client that never answers must not leak its relay entry: the origin gives up after the same timeout, so
    /// after it nobody waits for the answer any more.
    /// </summary>
    private async Task ForgetRelayAfterTimeoutAsync(string invocationId)
    {
        try
        {
            await Task.Delay(_options.ClientResultTimeout, _time, _disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _results.Remove(invocationId);
    }

    private async Task PublishReturnAsync(string origin, ClientReturn message)
    {
        try
        {
            await PublishAsync(_channels.Return(origin), BackplaneProtocol.WriteReturn(message), _disposing.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BackplaneLog.ResultForwardFailed(_logger, message.InvocationId, origin, ex);
        }
    }

    private void OnGroupCommand(string channel, ReadOnlyMemory<byte> payload)
    {
        GroupCommand command;
        try
        {
            command = BackplaneProtocol.ReadGroupCommand(payload);
        }
        catch (InvalidDataException ex)
        {
            BackplaneLog.InvalidMessage(_logger, channel, ex);
            return;
        }

        if (_local.TryGetValue(command.ConnectionId, out var state))
        {
            // The membership change itself happens synchronously inside, so commands apply in arrival order.
            _ = ApplyGroupCommandAsync(state, command);
        }
    }

    private async Task ApplyGroupCommandAsync(LocalConnectionState state, GroupCommand command)
    {
        try
        {
            if (command.Action == GroupAction.Add)
            {
                await AddLocalAsync(state, command.GroupName, _disposing.Token).ConfigureAwait(false);
            }
            else
            {
                await RemoveLocalAsync(state, command.GroupName).ConfigureAwait(false);
            }

            // Acked only once the group channel is subscribed, so the requester's next send to the group arrives.
            await PublishAsync(_channels.Ack(command.Origin), BackplaneProtocol.WriteAck(command.AckId), _disposing.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BackplaneLog.GroupCommandFailed(_logger, command.Action, command.ConnectionId, command.GroupName, command.Origin, ex);
        }
    }

    private void OnAck(string channel, ReadOnlyMemory<byte> payload)
    {
        try
        {
            _acks.Complete(BackplaneProtocol.ReadAck(payload));
        }
        catch (InvalidDataException ex)
        {
            BackplaneLog.InvalidMessage(_logger, channel, ex);
        }
    }

    private void OnReturn(string channel, ReadOnlyMemory<byte> payload)
    {
        ClientReturn message;
        try
        {
            message = BackplaneProtocol.ReadReturn(payload);
        }
        catch (InvalidDataException ex)
        {
            BackplaneLog.InvalidMessage(_logger, channel, ex);
            return;
        }

        if (message.Error is { } error)
        {
            _ = _results.TryFailAsync(message.InvocationId, message.ConnectionId, error);
            return;
        }

        var protocolName = message.ProtocolName!;
        HubMessage? parsed = null;
        Exception? failure = null;
        if (_protocols.GetProtocol(protocolName, null) is { } protocol)
        {
            try
            {
                // The registry is the binder: the result is deserialized straight into the awaited type.
                var sequence = new ReadOnlySequence<byte>(message.Completion);
                protocol.TryParseMessage(ref sequence, _results, out parsed);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }

        if (parsed is CompletionMessage completion)
        {
            // Awaited completions finish synchronously, so there is nothing to wait for on the dispatch loop.
            var completing = _results.TryCompleteAsync(message.ConnectionId, completion);
            if (completing.IsCompletedSuccessfully && !completing.Result)
            {
                BackplaneLog.ResultIgnored(_logger, message.InvocationId, message.ConnectionId);
            }

            return;
        }

        BackplaneLog.ResultUnreadable(_logger, message.InvocationId, protocolName, failure);
        _ = _results.TryFailAsync(message.InvocationId, message.ConnectionId, $"The client's result could not be read (protocol '{protocolName}').");
    }

    private bool TryReadInvocation(string channel, ReadOnlyMemory<byte> payload, out BackplaneInvocation invocation)
    {
        try
        {
            invocation = BackplaneProtocol.ReadInvocation(payload);
            return true;
        }
        catch (InvalidDataException ex)
        {
            BackplaneLog.InvalidMessage(_logger, channel, ex);
            invocation = null!;
            return false;
        }
    }

    private void OnConnectionStateChanged(object? sender, RedisConnectionStateChangedEventArgs args)
    {
        if (args.IsConnected)
        {
            BackplaneLog.ConnectionRestored(_logger, args.Connection);
        }
        else
        {
            BackplaneLog.ConnectionLost(_logger, args.Connection, args.Exception);
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncDisposable subscription)
    {
        try
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Shutting down: the Redis client may be closing too, and an unsubscribe it cannot send is moot.
        }
    }
}
