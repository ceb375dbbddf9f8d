using Hub.Contracts;
using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Delivery;

public sealed partial class DeliveryDispatcher<THub>
{
    /// <summary>
    /// Registers a new connection: from now on every message stored for its user reaches it. Live messages are held
    /// back until <see cref="Resume"/> has sent the backlog and <c>Resumed</c>.
    /// </summary>
    /// <param name="context">The connection.</param>
    /// <param name="user">The connection's user.</param>
    /// <param name="device">The device the client named (<c>""</c> for none).</param>
    /// <returns>The connection's handle, to pass to <see cref="Resume"/> and <see cref="Disconnect"/>.</returns>
    public LocalConnection Connect(HubCallerContext context, string user, string device)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = _hubConnections.Find(context.ConnectionId)
            ?? throw new InvalidOperationException($"Connection {context.ConnectionId} is not tracked: the HubLifetimeManager must be wrapped by AddHubConnectionTracking.");
        _metrics.ConnectionChanged(_ns.Name, +1);
        return _connections.Add(context, user, device, new ConnectionWriter(connection, _ns.Name, user, _options, _time, _writerLogger, _metrics));
    }

    /// <summary>
    /// Starts redelivering the user's pending queue to a connection registered by <see cref="Connect"/>, then
    /// <c>Resumed</c>, then the live messages held back meanwhile. Call it once the connection is fully set up
    /// (presence, groups): <c>Resumed</c> tells the client it is live, so it must not come before the user counts as
    /// online, or a broadcast sent right after it would skip the user.
    /// </summary>
    /// <param name="handle">What <see cref="Connect"/> returned.</param>
    /// <param name="clientEpoch">The queue epoch the client last saw, if it says.</param>
    public void Resume(LocalConnection handle, string? clientEpoch)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _ = ResumeAsync(handle, clientEpoch);
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string User, string ConnectionId)> SnapshotConnections() => [.. _connections.Snapshot().Select(c => (c.User, c.Id))];

    /// <summary>Forgets a connection registered by <see cref="Connect"/>.</summary>
    public void Disconnect(LocalConnection handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _connections.Remove(handle);
        _metrics.ConnectionChanged(_ns.Name, -1);
    }

    /// <summary>
    /// Tells every connection of this node that the server is going away and that it should reconnect (a close
    /// message with <c>allowReconnect</c>, so SignalR clients reconnect, through the balancer, to another node), then
    /// closes it. Messages in flight stay pending and are redelivered wherever the client reconnects.
    /// </summary>
    /// <returns>How many connections were closed.</returns>
    public async Task<int> CloseConnectionsForShutdownAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var connections = _connections.Snapshot();
        var goodbye = new CloseMessage("The server is shutting down; reconnect.", allowReconnect: true);
        await Task.WhenAll(connections.Select(async connection =>
        {
            var closed = connection.Context.ConnectionAborted;
            try
            {
                if (_hubConnections.Find(connection.Id) is { } hubConnection)
                {
                    await hubConnection.WriteAsync(goodbye, cancellationToken).AsTask().WaitAsync(timeout, _time, cancellationToken);
                    // The client closes on reading it; aborting at once could cut the message off before it is sent.
                    await Task.Delay(Timeout.InfiniteTimeSpan, closed).WaitAsync(timeout, _time, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
            {
                // Closed by the client (the token fired), or it did not take its close message in time.
            }
            connection.Context.Abort();
        }));
        return connections.Count;
    }

    /// <summary>
    /// Closes this node's connections of <paramref name="user"/> (all when null). Their clients reconnect and get
    /// everything pending redelivered: the way to recover when live announcements may have been missed.
    /// </summary>
    /// <returns>How many connections were closed.</returns>
    public int AbortConnections(string? user = null)
    {
        var connections = _connections.Snapshot(user);
        foreach (var connection in connections)
        {
            connection.Context.Abort();
        }
        return connections.Count;
    }

    private async Task ResumeAsync(LocalConnection connection, string? clientEpoch)
    {
        var context = connection.Context;
        var cancellationToken = context.ConnectionAborted;
        var started = _time.GetTimestamp();
        try
        {
            var writer = connection.Writer;
            // Acks this node still holds for the device would otherwise be read as not yet given.
            await _acks.FlushAsync(_ns.Name, connection.User, connection.Device, cancellationToken);
            var backlog = await _store.OpenDeviceAsync(_ns.Name, connection.User, connection.Device, cancellationToken);
            // Per scope, the last position sent: buffered live messages at or below it were just redelivered.
            var through = new Dictionary<DeliveryScope, MessageId>();
            foreach (var scope in backlog.Scopes)
            {
                through[scope.Scope] = scope.After;
            }
            IReadOnlyList<BacklogScope> pending = backlog.Scopes;
            var redelivered = 0;
            long dropped = 0;
            while (pending.Count > 0)
            {
                var next = new List<BacklogScope>();
                foreach (var page in await _store.ReadBacklogAsync(_ns.Name, connection.User, pending, _options.RedeliveryPageSize, cancellationToken))
                {
                    dropped += page.Dropped;
                    foreach (var envelope in page.Messages)
                    {
                        await writer.WriteAsync(Serialize(_ns.EventOf(envelope), envelope with { Redelivered = true }), cancellationToken);
                        if (MessageRef.TryParse(envelope.Id, out var sent))
                        {
                            through[sent.Scope] = sent.Position;
                        }
                    }
                    redelivered += page.Messages.Count;
                    if (page.More)
                    {
                        next.Add(page.Scope);
                    }
                }
                if (writer.IsClosed)
                {
                    // Closed for being slow (its writes queue nowhere now): no point reading the rest of the backlog.
                    return;
                }
                pending = next;
            }

            var recovered = clientEpoch is null || clientEpoch == backlog.Epoch;
            await writer.WriteAsync(Serialize(HubEvents.Resumed, new ResumeInfo(redelivered, dropped, backlog.Epoch, recovered, _limits.MaxTextBytes)), cancellationToken);
            Log.Resumed(_logger, _ns.Name, connection.User, connection.Id, redelivered, dropped);
            _metrics.Resumed(_ns.Name, redelivered, dropped, recovered, _time.GetElapsedTime(started));

            // Live messages that arrived meanwhile; those already read from the queue were just redelivered.
            while (_connections.TakeBufferedOrGoLive(connection, through) is { } buffered)
            {
                foreach (var message in buffered)
                {
                    if (!through.TryGetValue(message.Ref.Scope, out var last) || message.Ref.Position > last)
                    {
                        await writer.WriteAsync(message.Message, cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The messages stay pending; closing makes the client reconnect, which tries the redelivery again.
            Log.ResumeFailed(_logger, _ns.Name, connection.User, connection.Id, ex);
            _connections.Remove(connection);
            context.Abort();
        }
    }

    private static SerializedHubMessage Serialize(string method, object argument) => new(new InvocationMessage(method, [argument]));
}
