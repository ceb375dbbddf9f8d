using Hub.Contracts;
using Hub.Server.Delivery;

namespace Hub.Server.Storage.InMemory;

/// <summary>A user's pending queue: ordered by id, removable by id, trimmable from the head.</summary>
internal sealed class InMemoryQueue
{
    /// <summary>Entries, oldest first.</summary>
    public LinkedList<(MessageId Id, Envelope Envelope)> Entries { get; } = new();

    /// <summary>Entries by id, for acks.</summary>
    public Dictionary<string, LinkedListNode<(MessageId Id, Envelope Envelope)>> ById { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries dropped by the bounds since the queue was last opened.</summary>
    public long Dropped { get; set; }
}
