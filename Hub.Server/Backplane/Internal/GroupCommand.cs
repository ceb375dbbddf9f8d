namespace Hub.Server.Backplane.Internal;

/// <summary>An add/remove-to-group request for a connection that may live on any node.</summary>
/// <param name="AckId">Echoed in the ack so the requester can match it.</param>
/// <param name="Origin">The requesting node; the ack goes to its ack channel.</param>
/// <param name="Action">Add or remove.</param>
/// <param name="ConnectionId">The connection.</param>
/// <param name="GroupName">The group.</param>
internal sealed record GroupCommand(long AckId, string Origin, GroupAction Action, string ConnectionId, string GroupName);
