using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>A stored message and how many users receive it.</summary>
/// <param name="Envelope">The message as stored (id, time, sequence number); for several rooms, the first room's.</param>
/// <param name="Recipients">How many users receive it (each counted once, however many of the target rooms they are in).</param>
/// <param name="Replayed">
/// True when the append was a retry of an earlier one with the same idempotency key: nothing was stored now, and
/// the id, time, sequence numbers and recipient count are the first append's.
/// </param>
public sealed record AppendResult(Envelope Envelope, int Recipients, bool Replayed = false);
