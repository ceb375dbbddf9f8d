using Hub.Client.Internal;
using Hub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Client;

/// <summary>Read receipts, unread counts and conversations.</summary>
public sealed partial class ChatClient
{
    /// <summary>
    /// A member read a room up to a message: (room, user, seq). For a conversation the room is its address as this
    /// client names it, <c>@{the other user}</c> (<see cref="ConversationAddress"/>), whichever of the two read. Raised
    /// for this user's own reads too (on another device, or this one), so every device can clear its badge.
    /// </summary>
    public event Action<string, string, long>? ReadUpTo;

    /// <summary>
    /// <c>MarkRead(room, seq)</c>: records that this user (on every device) has read a room up to the message with
    /// <see cref="Envelope.Seq"/> <paramref name="seq"/>. It never moves backwards, and a seq past the room's last
    /// message reads everything. When it moved, the room's members receive <see cref="ReadUpTo"/>.
    /// </summary>
    /// <param name="room">The room's name, or <see cref="ConversationAddress.For"/> the other user for a conversation.</param>
    /// <param name="seq">The <see cref="Envelope.Seq"/> of the last message read.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>How far this user has read there now (at least <paramref name="seq"/> unless clamped to the last message).</returns>
    /// <exception cref="HubInvocationException">Not a member of the room (<c>not_member</c>), no such room or no message
    /// exchanged with that user yet (<c>room_not_found</c>), or a negative seq.</exception>
    public async Task<long> MarkReadAsync(string room, long seq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return await InvokeAsync<long>(HubMethods.MarkRead, [room, seq], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>MyRooms()</c>: this user's rooms and its most recent conversations (<c>Limits:MaxConversationsListed</c>), each
    /// with its last seq, how far this user read it and the unread count; the most recently active first. Enough to
    /// show a room list with unread badges after a fresh start.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The rooms and conversations.</returns>
    public async Task<IReadOnlyList<MyRoom>> MyRoomsAsync(CancellationToken cancellationToken = default) =>
        await InvokeAsync<MyRoom[]>(HubMethods.MyRooms, [], cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary><c>GetConversation(user, before, limit)</c>: the direct messages between this user and another, newest last.</summary>
    /// <param name="user">The other user.</param>
    /// <param name="before">Only messages older than this message id; <c>null</c> for the newest.</param>
    /// <param name="limit">At most this many messages (1 to the server's <c>Limits:MaxHistoryPage</c>).</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The messages, oldest first; empty when the two never exchanged one.</returns>
    public async Task<IReadOnlyList<Envelope>> GetConversationAsync(string user, string? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await InvokeAsync<Envelope[]>(HubMethods.GetConversation, [user, before, limit], cancellationToken).ConfigureAwait(false) ?? [];
    }

    private void RegisterReadStateEvents(ServerEvents events) =>
        events.On<string, string, long>(HubEvents.ReadUpTo, (room, user, seq) => RaiseServerEvent(nameof(ReadUpTo), () => ReadUpTo?.Invoke(room, user, seq)));
}
