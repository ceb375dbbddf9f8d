using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>
/// Where messages are stored and how devices read them back. A message is stored once, in one
/// <see cref="DeliveryScope"/>: a room's log (room messages), a conversation's log (direct messages) or, for messages
/// addressed to users (notifications, broadcasts), each recipient's own stream. Every device of a user keeps one
/// cursor per scope (the last position it acknowledged); what a device has not acknowledged is its scopes' logs past
/// its cursors. Storing, trimming by the bounds and announcing to every node are one atomic step per scope, so every
/// node sees a scope's messages in store order. Implementations: in memory and Redis, one contract suite.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Checks the sender may send, stores the message (in each target room's log, in the conversation's log, or in
    /// each target user's stream) and announces it to subscribers: all before returning. A room message costs the store
    /// the same whatever the room's size. A message to several rooms is stored in each room's log, as that room's
    /// message (its own id and sequence number there), and announced once per room; the result is the first room's.
    /// </summary>
    Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a device of a user at connect: records that it was seen now (forgetting the user's devices unseen for
    /// <see cref="DeliveryOptions.DeviceRetention"/>, and the least recently seen beyond
    /// <see cref="DeliveryOptions.MaxDevicesPerUser"/>), and returns its epoch and where each of its scopes is to be
    /// read from. A device seen for the first time (or again after being forgotten) gets a new epoch. The user's first
    /// device (none other remembered) reads everything kept for the user, so what was sent before the user ever
    /// connected (notifications, direct messages) arrives; a further device starts at the present: it receives what
    /// is stored from now on. Rooms are read from where the user joined them.
    /// </summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="user">The user.</param>
    /// <param name="device">The device's id (<c>""</c> for a client that names none: one anonymous device per user).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DeviceBacklog> OpenDeviceAsync(string ns, string user, string device, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads, for each scope, at most <paramref name="count"/> messages past its <see cref="BacklogScope.After"/>,
    /// oldest first (older than <see cref="DeliveryOptions.MaxPendingAge"/> skipped and counted as dropped). A room the
    /// user is no longer a member of, or a conversation the user is not a party of, reads as empty. One page per
    /// scope, in the order given. A room's edit entries come in their place in the log; its messages read as they are
    /// now (latest text, or a tombstone once deleted), so a deleted message's text is not handed out again.
    /// </summary>
    Task<IReadOnlyList<BacklogPage>> ReadBacklogAsync(string ns, string user, IReadOnlyList<BacklogScope> scopes, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Acknowledges messages for one device. Acks are cumulative per scope: the device's cursor of each scope moves to
    /// the greatest position among the given ids of that scope, never backwards. Ids that are malformed, or of a scope
    /// the user does not belong to, are ignored; so is an ack from a device the store does not know (never opened, or
    /// forgotten). An ack counts as the device being seen (for <see cref="DeliveryOptions.DeviceRetention"/>). Returns
    /// how many cursors moved.
    /// </summary>
    Task<int> AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Edits or deletes a room message (<see cref="MessageEdit"/>) and announces it, atomically, as <see cref="AppendAsync"/>
    /// stores a message: the check (the room exists, the editor is a member, the message is in the room's log and is not
    /// deleted, the editor is its author or, to delete, a room admin), the edit entry appended to the room's log after
    /// the original (trimmed by the same bound), the message's latest state and the announcement are one step. Returns
    /// the edit entry (its own id, no sequence number) and how many members receive it.
    /// </summary>
    /// <exception cref="Common.HubRequestException">Refused: unknown room, not a member, unknown message, not the author, deleted.</exception>
    Task<AppendResult> EditAsync(MessageEdit edit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> messages of a room or conversation before <paramref name="before"/> (newest when
    /// null), newest last: each as it reads now (latest text, or a tombstone once deleted). Edit entries are not listed
    /// (their effect is), so a page never shows a message twice.
    /// </summary>
    Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, DeliveryScope scope, MessageId? before, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onDelivery"/> for every message stored in <paramref name="ns"/>, each partition's in store
    /// order, until disposed, and <paramref name="onGap"/> when announcements may have been missed (the subscription
    /// was interrupted, or the store lost its data): the subscriber must then recover its connections from the store.
    /// Callbacks must not block. Each announcement carries its partition's counter (+1 per announcement of that
    /// partition), so a subscriber also sees a missed announcement as a jump, and a store that lost its data as a
    /// step back.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default);
}
