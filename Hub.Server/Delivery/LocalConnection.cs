using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>
/// One connection on this node. Until its backlog has been redelivered it is "resuming": live messages for it are
/// buffered, so they reach the client after the backlog, in order, and none is both redelivered and sent live.
/// </summary>
internal sealed class LocalConnection(string id, string user)
{
    /// <summary>SignalR connection id.</summary>
    public string Id { get; } = id;

    /// <summary>The authenticated user.</summary>
    public string User { get; } = user;

    /// <summary>Live messages that arrived while resuming; <c>null</c> once live.</summary>
    public List<Envelope>? Buffer { get; set; } = [];
}
