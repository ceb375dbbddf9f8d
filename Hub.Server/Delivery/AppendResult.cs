using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message and how many users' queues it went into.</summary>
/// <param name="Envelope">The message as stored (id, time, room sequence numbers).</param>
/// <param name="Recipients">How many users' queues it went into.</param>
/// <param name="Replayed">
/// True when the append was a retry of an earlier one with the same idempotency key: nothing was stored now, and
/// the id, time, sequence numbers and recipient count are the first append's.
/// </param>
public sealed record AppendResult(Envelope Envelope, int Recipients, bool Replayed = false);
