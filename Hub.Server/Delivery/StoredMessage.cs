using System.Diagnostics;
using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message as announced to every node: the envelope and the users who receive it.</summary>
/// <param name="Envelope">The message.</param>
/// <param name="Recipients">The users who receive it (a room's members, a conversation's two parties, the addressed users).</param>
/// <param name="Partition">The store partition that announced it (0 for a store with one).</param>
/// <param name="Counter">
/// The partition's announcement counter: +1 per announcement of that partition, so a subscriber sees a missed one as
/// a jump and a store that lost its data as a step back.
/// </param>
/// <param name="Trace">The send's trace (<see cref="OutgoingMessage.Trace"/>), or <c>default</c>: none was carried.</param>
public sealed record StoredMessage(Envelope Envelope, IReadOnlyList<string> Recipients, int Partition, long Counter, ActivityContext Trace = default);
