using System.Diagnostics;
using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message as announced to every node: the envelope and the users whose queues hold it.</summary>
/// <param name="Envelope">The message.</param>
/// <param name="Recipients">The users whose queues hold it.</param>
/// <param name="Trace">The send's trace (<see cref="OutgoingMessage.Trace"/>), or <c>default</c>: none was carried.</param>
public sealed record StoredMessage(Envelope Envelope, IReadOnlyList<string> Recipients, ActivityContext Trace = default);
