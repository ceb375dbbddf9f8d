using Hub.Contracts;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.InMemory;

/// <summary>A room's metadata, members and log.</summary>
internal sealed class InMemoryRoom(RoomInfo info)
{
    /// <summary>Name, owner, creation time.</summary>
    public RoomInfo Info { get; } = info;

    /// <summary>Members.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Members with the admin role (the owner's role comes from <see cref="Info"/>).</summary>
    public HashSet<string> Admins { get; } = new(StringComparer.Ordinal);

    /// <summary>Users invited to the private room who have not joined yet.</summary>
    public HashSet<string> Invites { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the room is hidden from <paramref name="user"/> (see <see cref="RoomAccess.IsHidden"/>).</summary>
    public bool IsHiddenFrom(string user) => RoomAccess.IsHidden(Info, user, Members.Contains(user));

    /// <summary>The room's log: its messages, stored once, bounded by <c>Delivery:RoomHistoryLength</c>.</summary>
    public InMemoryLog Log { get; } = new();

    /// <summary>Sequence number of the last message.</summary>
    public long Seq => Log.Last.Counter;
}
