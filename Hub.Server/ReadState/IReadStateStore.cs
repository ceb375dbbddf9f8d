using Hub.Server.Delivery;

namespace Hub.Server.ReadState;

/// <summary>
/// How far each user has read each room and conversation: one read <c>Seq</c> per user (not per device: a user who
/// read on the laptop has read on the phone), which only moves forward. A room's read positions live with the room (in
/// Redis, its partition) and a conversation's with the conversation, so marking read is one atomic step where the
/// last <c>Seq</c> is. Implementations: in memory and Redis, one contract suite.
/// </summary>
public interface IReadStateStore
{
    /// <summary>
    /// Moves <paramref name="user"/>'s read position in a room or conversation to <paramref name="seq"/>, clamped to the
    /// scope's last <c>Seq</c> and never backwards. Refuses a room that does not exist or that the user is not a member
    /// of (as a send would), and a conversation without messages (<see cref="ReadStateErrors.NoConversation"/>).
    /// </summary>
    /// <returns>The read position after the call, and whether it moved.</returns>
    Task<ReadMark> MarkReadAsync(string ns, string user, DeliveryScope scope, long seq, CancellationToken cancellationToken = default);

    /// <summary>
    /// The read state of every room <paramref name="user"/> is a member of, and of its
    /// <paramref name="maxConversations"/> conversations with the newest last message. A room's read position is the
    /// greater of what the user marked and where the user joined it (what came before is not unread).
    /// </summary>
    Task<IReadOnlyList<ScopeReadState>> GetReadStatesAsync(string ns, string user, int maxConversations, CancellationToken cancellationToken = default);

    /// <summary>The read position of each of <paramref name="users"/> in a room (0 for a user who never marked it), in their order.</summary>
    Task<IReadOnlyList<long>> GetReadSeqsAsync(string ns, string room, IReadOnlyList<string> users, CancellationToken cancellationToken = default);
}
