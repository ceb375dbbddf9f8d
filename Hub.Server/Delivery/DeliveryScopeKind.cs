namespace Hub.Server.Delivery;

/// <summary>The kinds of <see cref="DeliveryScope"/>.</summary>
public enum DeliveryScopeKind
{
    /// <summary>A user's own stream: notifications and broadcasts addressed to that user.</summary>
    User,

    /// <summary>A room's log: every message sent to the room, stored once.</summary>
    Room,

    /// <summary>A conversation's log: the direct messages between two users, stored once.</summary>
    Conversation,
}
