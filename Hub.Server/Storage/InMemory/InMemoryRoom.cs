using Hub.Contracts;

namespace Hub.Server.Storage.InMemory;

/// <summary>A room's metadata, members, sequence counter and bounded history.</summary>
internal sealed class InMemoryRoom(RoomInfo info)
{
    /// <summary>Name, owner, creation time.</summary>
    public RoomInfo Info { get; } = info;

    /// <summary>Members.</summary>
    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Sequence number of the last message.</summary>
    public long Seq { get; set; }

    /// <summary>Recent messages, oldest first.</summary>
    public LinkedList<Envelope> History { get; } = new();
}
