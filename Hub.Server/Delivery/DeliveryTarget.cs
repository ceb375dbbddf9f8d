namespace Hub.Server.Delivery;

/// <summary>
/// Who a message is for. The store resolves it to users atomically with the append, so a fan-out is one store call.
/// </summary>
public sealed record DeliveryTarget
{
    private DeliveryTarget() { }

    /// <summary>
    /// Members of these rooms. The message is stored in each room's log as that room's message (its own id and
    /// sequence number), so a member of several of them receives it once per room.
    /// </summary>
    public IReadOnlyList<string>? Rooms { get; private init; }

    /// <summary>These users, each in their own stream.</summary>
    public IReadOnlyList<string>? Users { get; private init; }

    /// <summary>The conversation of two users (a direct message): stored once, in the conversation's log.</summary>
    public DeliveryScope? Conversation { get; private init; }

    /// <summary>Every user online in the namespace, except <see cref="ExceptUser"/>.</summary>
    public bool Online { get; private init; }

    /// <summary>Every user that ever connected to the namespace.</summary>
    public bool Known { get; private init; }

    /// <summary>With <see cref="Online"/>: the user left out (the sender of a broadcast).</summary>
    public string? ExceptUser { get; private init; }

    /// <summary>Which kind of target this is: <c>rooms</c>, <c>conversation</c>, <c>users</c>, <c>online</c> or <c>known</c> (the stores' word, and the traces').</summary>
    public string Kind => Rooms is not null ? "rooms" : Conversation is not null ? "conversation" : Users is not null ? "users" : Online ? "online" : "known";

    /// <summary>Targets the members of <paramref name="rooms"/>.</summary>
    public static DeliveryTarget ToRooms(IReadOnlyList<string> rooms) => new() { Rooms = rooms };

    /// <summary>Targets the conversation of <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static DeliveryTarget ToConversation(string from, string to) => new() { Conversation = DeliveryScope.Conversation(from, to) };

    /// <summary>Targets <paramref name="users"/>.</summary>
    public static DeliveryTarget ToUsers(IReadOnlyList<string> users) => new() { Users = users };

    /// <summary>Targets every online user but <paramref name="exceptUser"/>.</summary>
    public static DeliveryTarget ToOnline(string? exceptUser) => new() { Online = true, ExceptUser = exceptUser };

    /// <summary>Targets every user the namespace has seen.</summary>
    public static DeliveryTarget ToKnown() => new() { Known = true };
}
