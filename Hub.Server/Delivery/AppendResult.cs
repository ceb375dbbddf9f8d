using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message and how many users' queues it went into.</summary>
public sealed record AppendResult(Envelope Envelope, int Recipients);
