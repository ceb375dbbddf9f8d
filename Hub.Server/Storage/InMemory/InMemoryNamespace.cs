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

    /// <summary>Per user and room, the room's last position when the user joined: its devices read the room from there.</summary>
    public Dictionary<(string User, string Room), MessageId> JoinedAt { get; } = [];

    /// <summary>Conversations (direct messages) by their scope name (<c>a/b</c>).</summary>
    public Dictionary<string, InMemoryLog> Conversations { get; } = new(StringComparer.Ordinal);

    /// <summary>The conversations of each user, by scope name.</summary>
    public Dictionary<string, HashSet<string>> ConversationsByUser { get; } = new(StringComparer.Ordinal);

    /// <summary>How far each user has read each room and conversation, by scope key (<c>r/{room}</c>, <c>d/{a}/{b}</c>) and user.</summary>
    public Dictionary<(string Scope, string User), long> ReadSeqs { get; } = [];

    /// <summary>Each user's own stream (notifications and broadcasts).</summary>
    public Dictionary<string, InMemoryLog> Streams { get; } = new(StringComparer.Ordinal);

    /// <summary>Each user's devices, by device id.</summary>
    public Dictionary<string, Dictionary<string, InMemoryDevice>> Devices { get; } = new(StringComparer.Ordinal);

    /// <summary>Announcements made (the one partition's counter).</summary>
    public long Announced { get; set; }

    /// <summary>Live connections of each online user.</summary>
    public Dictionary<string, HashSet<string>> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>Every user that ever connected.</summary>
    public HashSet<string> KnownUsers { get; } = new(StringComparer.Ordinal);


    /// <summary>Idempotency keys of recent sends.</summary>
    public InMemorySendKeys SendKeys { get; } = new();

    /// <summary>Subscribers told of each stored message, in store order.</summary>
    public List<Action<StoredMessage>> Subscribers { get; } = [];

    /// <summary>The rooms of <paramref name="user"/>, created on demand.</summary>
    public HashSet<string> RoomsOf(string user) =>
        RoomsByUser.TryGetValue(user, out var rooms) ? rooms : RoomsByUser[user] = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The own stream of <paramref name="user"/>, created on demand.</summary>
    public InMemoryLog StreamOf(string user) =>
        Streams.TryGetValue(user, out var stream) ? stream : Streams[user] = new InMemoryLog();

    /// <summary>Forgets where <paramref name="user"/> joined <paramref name="room"/>, how far it read it and its devices' cursors there (it left, or the room is gone).</summary>
    public void ForgetRoom(string user, string room)
    {
        JoinedAt.Remove((user, room));
        ReadSeqs.Remove((DeliveryScope.Room(room).Key, user));
        if (Devices.TryGetValue(user, out var devices))
        {
            foreach (var device in devices.Values)
            {
                device.Cursors.Remove(DeliveryScope.Room(room));
            }
        }
    }
}
