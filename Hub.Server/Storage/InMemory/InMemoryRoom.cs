using Hub.Contracts;

namespace Hub.Server.Storage.InMemory;

/// <summary>A room's metadata, members and log.</summary>
internal sealed class InMemoryRoom(RoomInfo info)
{
    /// <summary>Name, owner, creation time.</summary>
    public RoomInfo Info { get; } = info;

    /// <summary>Members.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The room's log: its messages, stored once, bounded by <c>Delivery:RoomHistoryLength</c>.</summary>
    public InMemoryLog Log { get; } = new();

    /// <summary>Sequence number of the last message.</summary>
    public long Seq => Log.Last.Counter;
}
