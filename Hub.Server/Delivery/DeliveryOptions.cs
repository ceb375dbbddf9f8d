namespace Hub.Server.Delivery;

/// <summary>Durable delivery settings. Bound from the <c>Delivery</c> section, checked by <see cref="DeliveryOptionsValidator"/>.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Delivery";

    /// <summary>Most entries one user's pending queue keeps; older entries are dropped and counted. Default 10,000.</summary>
    public int MaxPendingPerUser { get; set; } = 10_000;

    /// <summary>Oldest entry a pending queue keeps; older entries are dropped and counted. Default 7 days.</summary>
    public TimeSpan MaxPendingAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Messages each room keeps for <c>GetHistory</c>. Default 1000.</summary>
    public int RoomHistoryLength { get; set; } = 1000;

    /// <summary>
    /// Most devices a user's delivery state is kept for (each has its own cursors); opening one more forgets the least
    /// recently seen. Default 10.
    /// </summary>
    public int MaxDevicesPerUser { get; set; } = 10;

    /// <summary>
    /// How long a device that neither connects nor acknowledges is remembered (a connection that stays up acknowledges,
    /// so it is not forgotten however long ago it connected); after that its cursors are forgotten, and if it comes
    /// back it starts at the present with a new epoch (its client is told <c>recovered: false</c>). Default 30 days.
    /// </summary>
    public TimeSpan DeviceRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Pending entries read per store call while redelivering at connect. Default 500.</summary>
    public int RedeliveryPageSize { get; set; } = 500;

    /// <summary>
    /// How long one write to a connection (live or redelivery) may stay pending on a slow client before the connection
    /// is aborted; its messages stay pending, to be redelivered when the client reconnects. Only that connection
    /// waits: each has its own writer. Default 10 s.
    /// </summary>
    public TimeSpan LiveSendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The shortest time between two writes of live messages to one connection. A message for a connection written to
    /// less than this long ago waits for the rest of that time and goes out in one write (one frame, one system call)
    /// with whatever else reaches the connection meanwhile; a message for a connection quiet for longer goes at once.
    /// So only connections that get more than one message per window wait (at most this long), where one write for
    /// several saves the most CPU, and a busy connection delays nobody else. Like Centrifugo's <c>write_delay</c>, but
    /// per connection. Default 5 ms: for a connection busy enough to be held, about 2.5 ms more latency at the median
    /// (Redis mode, 1 room x 50 at 1,000 msg/s) for a fifth to a quarter more deliveries per second at full load
    /// (docs/benchmarks.md). 0 writes at once; at most 1 s.
    /// </summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How long a node gathers acknowledgements before writing them: each device's are written once per interval (only
    /// the greatest position per room, conversation and stream), before its next resume on this node, when one of its
    /// connections closes and at shutdown. <c>Ack</c> returns without a store round trip. A node that dies loses at
    /// most this much of its acks: those messages are delivered again at the next resume, never lost. 0 writes every
    /// <c>Ack</c> before it returns. Default 250 ms; at most 1 s.
    /// </summary>
    public TimeSpan AckFlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a send's idempotency key is remembered: a retry with the same key from the same sender within this
    /// window returns the first result and stores nothing. Keys take memory (Redis: one key per send with this TTL)
    /// for this long, bounded by the send rate times the window. Default 10 minutes.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether chat direct messages may go to users that never connected to the chat namespace. Off by default:
    /// every such message would be kept for <see cref="MaxPendingAge"/>, so anyone could fill memory by messaging
    /// made-up names. Off, such a send is refused with <c>User 'x' does not exist.</c>
    /// </summary>
    public bool AllowUnknownRecipients { get; set; }

    /// <summary>
    /// Whether the notification API may address users (<c>to.user</c>, <c>to.users</c>) that never connected to
    /// the notifications namespace. On by default, so a service can notify a user before their first connect; the
    /// cost is that such notifications are kept up to <see cref="MaxPendingAge"/> even for names that never come
    /// (only API key holders can do this). Off, such a call is refused with 404.
    /// </summary>
    public bool NotifyUnknownUsers { get; set; } = true;

    /// <summary>
    /// Most messages waiting for one connection's writer (and, separately, most live messages held back while its
    /// backlog is redelivered). A connection that falls further behind is aborted; its messages stay pending and are
    /// redelivered when it reconnects. Default 10,000 (as <see cref="MaxPendingPerUser"/>: more would be dropped from
    /// the pending queue anyway).
    /// </summary>
    public int OutboundQueueMessages { get; set; } = 10_000;

    /// <summary>
    /// Most bytes (serialized) waiting for one connection's writer, and held back while its backlog is redelivered;
    /// beyond, the connection is aborted as for <see cref="OutboundQueueMessages"/>. A single larger message still
    /// goes through on its own. Counted per connection even when recipients share one serialized message, so it
    /// bounds a slow reader's cost. Default 4 MiB.
    /// </summary>
    public long OutboundQueueBytes { get; set; } = 4 * 1024 * 1024;
}
