using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery;

/// <summary>
/// One connection on this node. Until its backlog has been redelivered it is "resuming": live messages for it are
/// buffered, so they reach the client after the backlog, in order, and none is both redelivered and sent live.
/// Everything the dispatcher sends it goes through its <see cref="Writer"/>.
/// </summary>
internal sealed class LocalConnection(HubCallerContext context, string user, ConnectionWriter writer)
{
    /// <summary>The SignalR connection (to abort it).</summary>
    public HubCallerContext Context { get; } = context;

    /// <summary>SignalR connection id.</summary>
    public string Id { get; } = context.ConnectionId;

    /// <summary>The authenticated user.</summary>
    public string User { get; } = user;

    /// <summary>The connection's bounded queue and writer.</summary>
    public ConnectionWriter Writer { get; } = writer;

    /// <summary>
    /// The last id the backlog covered. The dispatcher may announce a message after the backlog read it (it lags
    /// behind the store), so once live, anything at or below this id was already sent and is skipped.
    /// </summary>
    public MessageId ResumedThrough { get; set; }

    /// <summary>Live messages that arrived while resuming; <c>null</c> once live.</summary>
    public List<LiveMessage>? Buffer { get; set; } = [];

    /// <summary>Serialized bytes of <see cref="Buffer"/>, for its bound.</summary>
    public long BufferedBytes { get; set; }
}
