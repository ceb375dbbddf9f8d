using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// One client-result invocation waiting for its completion on this node: either awaited here (typed) or proxied for
/// the node that invoked a connection living here (its result is forwarded as raw bytes).
/// </summary>
/// <param name="ConnectionId">The only connection allowed to complete it.</param>
/// <param name="ResultType">What the hub protocol deserializes the result to (<see cref="RawResult"/> for a proxy).</param>
/// <param name="Complete">Takes the completion: sets the awaited task, or publishes it back to the invoking node.</param>
/// <param name="Fail">Ends it with an error raised by this node (e.g. the connection closed first).</param>
internal sealed record PendingClientResult(
    string ConnectionId,
    Type ResultType,
    Func<CompletionMessage, Task> Complete,
    Func<string, Task> Fail);
