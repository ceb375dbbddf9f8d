using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Backplane.Internal;

/// <summary>A hub message received from the backplane, already serialized by the sending node in each of its protocols.</summary>
/// <param name="Origin">The node that published it (it has delivered to its own connections already).</param>
/// <param name="InvocationId">Set when the sender waits for a client result: the id of the invocation inside <paramref name="Message"/>.</param>
/// <param name="ExcludedConnectionIds">Connections that must not receive it (empty when none).</param>
/// <param name="Message">The serialized forms; written to connections as they are, never serialized again.</param>
internal sealed record BackplaneInvocation(
    string Origin,
    string? InvocationId,
    IReadOnlyList<string> ExcludedConnectionIds,
    SerializedHubMessage Message);
