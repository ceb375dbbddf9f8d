using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery;

/// <summary>
/// One connection on this node. Until its backlog has been redelivered it is "resuming": live messages for it are
/// buffered, so they reach the client after the backlog, in order, and none is both redelivered and sent live.
/// Everything the dispatcher sends it goes through its <see cref="Writer"/>. It is also the handle
/// <see cref="DeliveryDispatcher{THub}.Connect"/> gives the hub, whose members are the dispatcher's own.
/// </summary>
public sealed class LocalConnection
{
    internal LocalConnection(HubCallerContext context, string user, string device, ConnectionWriter writer)
    {
        Context = context;
        Id = context.ConnectionId;
        User = user;
        Device = device;
        Writer = writer;
    }

    /// <summary>The SignalR connection (to abort it).</summary>
    internal HubCallerContext Context { get; }

    /// <summary>SignalR connection id.</summary>
    internal string Id { get; }

    /// <summary>The authenticated user.</summary>
    internal string User { get; }

    /// <summary>The device the client named (<c>""</c> for none): whose cursors its acks move.</summary>
    internal string Device { get; }

    /// <summary>The connection's bounded queue and writer.</summary>
    internal ConnectionWriter Writer { get; }

    /// <summary>
    /// Per scope, the last position the backlog covered. The dispatcher may announce a message after the backlog read
    /// it (it lags behind the store), so once live, anything at or below these positions was already sent and is
    /// skipped. Scopes the backlog did not cover (a room joined since) are not in it. Empty until live.
    /// </summary>
    internal IReadOnlyDictionary<DeliveryScope, MessageId> ResumedThrough { get; set; } = new Dictionary<DeliveryScope, MessageId>();

    /// <summary>Live messages that arrived while resuming; <c>null</c> once live.</summary>
    internal List<LiveMessage>? Buffer { get; set; } = [];

    /// <summary>Serialized bytes of <see cref="Buffer"/>, for its bound.</summary>
    internal long BufferedBytes { get; set; }
}
