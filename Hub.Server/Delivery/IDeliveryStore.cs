using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>
/// Per-user pending queues, per-room sequence numbers and history, and the announcement of stored messages to
/// every node. Append, bound-trimming and announcement are one atomic step, so every node sees messages in store
/// order and every member sees a room in one order. Implementations: in memory and Redis, one contract suite.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Resolves the recipients, appends the message to each recipient's pending queue (and room history), trims by
    /// the bounds, and announces it to subscribers: all before returning. One store round trip however many recipients.
    /// </summary>
    Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Opens a user's queue at connect: applies the age bound and returns the epoch and the dropped count (resetting it).</summary>
    Task<QueueInfo> OpenQueueAsync(string ns, string user, CancellationToken cancellationToken = default);

    /// <summary>Pending entries of a user, oldest first, with ids greater than <paramref name="afterId"/> (all when null).</summary>
    Task<IReadOnlyList<Envelope>> ReadPendingAsync(string ns, string user, string? afterId, int count, CancellationToken cancellationToken = default);

    /// <summary>Removes the given ids from the user's own queue; unknown ids change nothing. Returns how many were removed.</summary>
    Task<int> AckAsync(string ns, string user, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages of a room with ids below <paramref name="beforeId"/> (newest when null), newest last.</summary>
    Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, string room, string? beforeId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onDelivery"/> for every message stored in <paramref name="ns"/>, in store order, until
    /// disposed, and <paramref name="onGap"/> when announcements may have been missed (the subscription was
    /// interrupted): the subscriber must then recover its connections from their queues. Callbacks must not block.
    /// The ids of one namespace's messages have consecutive counters (<see cref="MessageId.Counter"/> + 1 each), so a
    /// subscriber also sees a missed announcement, in order, as a jump, and a store that lost its data as a step back.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default);
}
