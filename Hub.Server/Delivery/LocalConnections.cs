using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery;

/// <summary>
/// This node's connections of one namespace, by user, with their resume state. The dispatcher routes each stored
/// message through it; the redelivery of a connection's backlog switches the connection to live through it.
/// </summary>
/// <param name="maxBufferedMessages">Most live messages buffered for a resuming connection.</param>
/// <param name="maxBufferedBytes">Most serialized bytes buffered for a resuming connection.</param>
internal sealed class LocalConnections(int maxBufferedMessages, long maxBufferedBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<LocalConnection>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Number of connections on this node.</summary>
    public int Count { get; private set; }

    /// <summary>Registers a connection as resuming; from now on no message for its user is missed.</summary>
    public LocalConnection Add(HubCallerContext context, string user, string device, ConnectionWriter writer)
    {
        var connection = new LocalConnection(context, user, device, writer);
        lock (_gate)
        {
            if (!_byUser.TryGetValue(user, out var list))
            {
                _byUser[user] = list = [];
            }
            list.Add(connection);
            Count++;
        }
        return connection;
    }

    /// <summary>Forgets a connection.</summary>
    public void Remove(LocalConnection connection)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(connection.User, out var list) && list.Remove(connection))
            {
                Count--;
                if (list.Count == 0)
                {
                    _byUser.Remove(connection.User);
                }
            }
            connection.Buffer = null;
            connection.BufferedBytes = 0;
        }
    }

    /// <summary>The connections of <paramref name="user"/>, or all when null.</summary>
    public List<LocalConnection> Snapshot(string? user = null)
    {
        lock (_gate)
        {
            return user is null ? [.. _byUser.Values.SelectMany(c => c)] : [.. _byUser.GetValueOrDefault(user) ?? []];
        }
    }

    /// <summary>
    /// Buffers the message for resuming connections of its recipients and returns the live ones. A resuming
    /// connection whose buffer would exceed the bound is added to <paramref name="overflowed"/> instead (created when
    /// needed), for the caller to close outside the lock.
    /// </summary>
    public List<LocalConnection> Route(IReadOnlyList<string> recipients, LiveMessage message, ref List<LocalConnection>? overflowed)
    {
        var live = new List<LocalConnection>();
        lock (_gate)
        {
            foreach (var user in recipients)
            {
                if (!_byUser.TryGetValue(user, out var list))
                {
                    continue;
                }
                foreach (var connection in list)
                {
                    if (connection.Writer.IsClosed)
                    {
                        // Closed for being slow and about to disconnect: its queue has it.
                        continue;
                    }
                    if (connection.Buffer is { } buffer)
                    {
                        var bytes = connection.Writer.SizeOf(message.Message);
                        // Same rule as the outbound queue: an empty buffer takes any single message.
                        if (buffer.Count > 0 && (buffer.Count >= maxBufferedMessages || connection.BufferedBytes + bytes > maxBufferedBytes))
                        {
                            (overflowed ??= []).Add(connection);
                            continue;
                        }
                        buffer.Add(message);
                        connection.BufferedBytes += bytes;
                    }
                    else if (!connection.ResumedThrough.TryGetValue(message.Ref.Scope, out var through) || message.Ref.Position > through)
                    {
                        live.Add(connection);
                    }
                }
            }
        }
        return live;
    }

    /// <summary>
    /// Takes what was buffered for a resuming connection; when nothing is, switches it to live and returns <c>null</c>.
    /// Called in a loop until it returns <c>null</c>, so messages buffered while the last batch was sent are not lost.
    /// </summary>
    /// <param name="connection">The resuming connection.</param>
    /// <param name="resumedThrough">Per scope, the last position the backlog covered.</param>
    public List<LiveMessage>? TakeBufferedOrGoLive(LocalConnection connection, IReadOnlyDictionary<DeliveryScope, MessageId> resumedThrough)
    {
        lock (_gate)
        {
            connection.BufferedBytes = 0;
            if (connection.Buffer is not { Count: > 0 } buffer)
            {
                connection.ResumedThrough = resumedThrough;
                connection.Buffer = null;
                return null;
            }
            connection.Buffer = [];
            return buffer;
        }
    }
}
