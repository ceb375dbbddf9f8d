using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Hub.Server.ReadState;

namespace Hub.Server.Hubs;

/// <summary>Read receipts, unread counts and conversations (docs/protocol.md, "Read state and conversations").</summary>
public sealed partial class ChatHub
{
    /// <summary>
    /// Records that the caller (the user, on all devices) has read a room, or a conversation addressed as <c>@{user}</c>,
    /// up to <paramref name="seq"/>: never backwards, clamped to the last message. When it moved, the room's members
    /// (or both users of the conversation) get <c>ReadUpTo</c>. Returns the caller's read seq there.
    /// </summary>
    public async Task<long> MarkRead(string room, long seq)
    {
        Acquire(RateLimit.Read);
        var mark = await Services.ReadState.MarkReadAsync(Ns, User, room, seq, Context.ConnectionAborted);
        if (mark.Moved)
        {
            if (mark.Scope.Kind == DeliveryScopeKind.Room)
            {
                await Clients.Group(mark.Scope.Name).ReadUpTo(mark.Scope.Name, User, mark.Seq);
            }
            else
            {
                // Each user is told under the address it uses for the conversation: @{the other user}.
                var peer = mark.Scope.PeerOf(User);
                await Clients.User(User).ReadUpTo(ConversationAddress.For(peer), User, mark.Seq);
                if (peer != User)
                {
                    await Clients.User(peer).ReadUpTo(ConversationAddress.For(User), User, mark.Seq);
                }
            }
        }
        return mark.Seq;
    }

    /// <summary>The caller's rooms and conversations with their last seq, read seq and unread count, most recent first.</summary>
    public Task<IReadOnlyList<MyRoom>> MyRooms()
    {
        Acquire(RateLimit.Read);
        return Services.ReadState.MyRoomsAsync(Ns, User, Context.ConnectionAborted);
    }

    /// <summary>Direct messages between the caller and <paramref name="user"/>, newest last (as <c>GetHistory</c>).</summary>
    public Task<IReadOnlyList<Envelope>> GetConversation(string user, string? before, int limit)
    {
        Acquire(RateLimit.Read);
        return Services.Conversations.GetHistoryAsync(Ns, User, user, before, limit, Context.ConnectionAborted);
    }
}
