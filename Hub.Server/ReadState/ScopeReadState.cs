using Hub.Server.Delivery;

namespace Hub.Server.ReadState;

/// <summary>A user's read state in one room or conversation.</summary>
/// <param name="Scope">The room or conversation.</param>
/// <param name="IsPrivate">Whether the room is private.</param>
/// <param name="Last">The position of the last message (<c>0-0</c> for none): its <c>Seq</c> and time.</param>
/// <param name="ReadSeq">How far the user has read (for a room, at least where the user joined it).</param>
public sealed record ScopeReadState(DeliveryScope Scope, bool IsPrivate, MessageId Last, long ReadSeq);
