namespace Hub.Contracts;

/// <summary>
/// One of the caller's rooms or conversations, as <c>MyRooms()</c> returns it: enough to show the list with unread
/// badges after a fresh start with no local state.
/// </summary>
/// <param name="Kind"><see cref="RoomKind"/> or <see cref="ConversationKind"/>.</param>
/// <param name="Name">The room's name, or for a conversation the other user's name (address it as
/// <see cref="ConversationAddress.For"/> in <c>MarkRead</c>).</param>
/// <param name="IsPrivate">Whether the room is private (always false for a conversation).</param>
/// <param name="LastSeq">The <c>Seq</c> of the last message (0 for none).</param>
/// <param name="ReadSeq">How far the caller has read: the greater of what it marked read and where it joined the room.</param>
/// <param name="Unread">Messages after <paramref name="ReadSeq"/>: <c>LastSeq - ReadSeq</c> (edits and deletions take no seq).</param>
/// <param name="LastMessageAt">When the last message was stored; <c>null</c> for none.</param>
public sealed record MyRoom(string Kind, string Name, bool IsPrivate, long LastSeq, long ReadSeq, long Unread, DateTimeOffset? LastMessageAt)
{
    /// <summary>The <see cref="Kind"/> of a room.</summary>
    public const string RoomKind = "room";

    /// <summary>The <see cref="Kind"/> of a conversation (direct messages with one user).</summary>
    public const string ConversationKind = "conversation";
}
