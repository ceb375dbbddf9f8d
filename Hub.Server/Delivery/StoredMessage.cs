using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message as announced to every node: the envelope and the users whose queues hold it.</summary>
public sealed record StoredMessage(Envelope Envelope, IReadOnlyList<string> Recipients);
