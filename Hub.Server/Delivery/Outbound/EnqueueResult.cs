namespace Hub.Server.Delivery.Outbound;

/// <summary>What <see cref="OutboundQueue{T}.TryEnqueue"/> did.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued behind items a writer is already draining.</summary>
    Queued,

    /// <summary>Queued, and nobody drains the queue: the caller starts the writer.</summary>
    StartDraining,

    /// <summary>Refused: the bound would be exceeded.</summary>
    Full,

    /// <summary>Refused: the queue was closed.</summary>
    Closed,
}
