using Hub.Server.Delivery;

namespace Hub.Server.ReadState;

/// <summary>The outcome of marking read: the scope, the user's read position after the call, and whether it moved.</summary>
/// <param name="Scope">The room or conversation.</param>
/// <param name="Seq">The user's read position there now.</param>
/// <param name="Moved">False when it already was at or past the position asked for.</param>
public readonly record struct ReadMark(DeliveryScope Scope, long Seq, bool Moved);
