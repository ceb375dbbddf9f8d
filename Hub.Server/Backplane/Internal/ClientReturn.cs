namespace Hub.Server.Backplane.Internal;

/// <summary>A client result travelling back to the node that invoked the client.</summary>
/// <param name="InvocationId">The invocation it answers.</param>
/// <param name="ConnectionId">The connection that answered (checked against the pending invocation).</param>
/// <param name="ProtocolName">The hub protocol <paramref name="Completion"/> is written in; null when <paramref name="Error"/> is set.</param>
/// <param name="Completion">The client's completion message, serialized by the owning node with the connection's protocol.</param>
/// <param name="Error">Set instead when the owning node answers itself, e.g. because the connection closed first.</param>
internal sealed record ClientReturn(
    string InvocationId,
    string ConnectionId,
    string? ProtocolName,
    ReadOnlyMemory<byte> Completion,
    string? Error);
