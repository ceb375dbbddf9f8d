using Hub.Contracts;
using Hub.Server.Delivery;

namespace Hub.Server.Storage.InMemory;

/// <summary>One namespace's rooms, presence and queues. Every member is only touched while holding <see cref="Gate"/>.</summary>
internal sealed class InMemoryNamespace
{
    /// <summary>The lock that makes each store operation atomic.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Rooms by name.</summary>
    public Dictionary<string, InMemoryRoom> Rooms { get; } = new(StringComparer.Ordinal);

    /// <summary>Room names in ordinal order, for listing in pages.</summary>
    public SortedSet<string> RoomNames { get; } = new(StringComparer.Ordinal);

    /// <summary>How many rooms each user owns (users owning none are absent).</summary>
    public Dictionary<string, int> OwnedRooms { get; } = new(StringComparer.Ordinal);

    /// <summary>Rooms of each user.</summary>
    public Dictionary<string, HashSet<string>> RoomsByUser { get; } = new(StringComparer.Ordinal);

    /// <summary>Live connections of each online user.</summary>
    public Dictionary<string, HashSet<string>> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>Every user that ever connected.</summary>
    public HashSet<string> KnownUsers { get; } = new(StringComparer.Ordinal);

    /// <summary>Pending queue of each user.</summary>
    public Dictionary<string, InMemoryQueue> Queues { get; } = new(StringComparer.Ordinal);

    /// <summary>Idempotency keys of recent sends.</summary>
    public InMemorySendKeys SendKeys { get; } = new();

    /// <summary>Subscribers told of each stored message, in store order.</summary>
    public List<Action<StoredMessage>> Subscribers { get; } = [];

    /// <summary>Last id handed out; ids only grow, even if the clock steps back.</summary>
    public MessageId LastId { get; set; }

    /// <summary>The rooms of <paramref name="user"/>, created on demand.</summary>
    public HashSet<string> RoomsOf(string user) =>
        RoomsByUser.TryGetValue(user, out var rooms) ? rooms : RoomsByUser[user] = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The queue of <paramref name="user"/>, created on demand.</summary>
    public InMemoryQueue QueueOf(string user) =>
        Queues.TryGetValue(user, out var queue) ? queue : Queues[user] = new InMemoryQueue();
}
