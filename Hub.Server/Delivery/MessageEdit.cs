using System.Diagnostics;

namespace Hub.Server.Delivery;

/// <summary>
/// An edit or a deletion of a room message, about to be stored. It is stored as an entry of the room's log after the
/// original (an "edit entry"), so members get it live and on resume in room order, with its own id that they
/// acknowledge like a message's. It takes no sequence number: its position is <c>{ms}-{seq}</c> with the
/// <c>seq</c> of the room's last message and a time above the last position's, so positions still grow, and
/// <see cref="Hub.Contracts.Envelope.Seq"/> keeps counting messages only (unread counts, the dropped count).
/// The store also keeps the message's latest state, which history and backlogs show in place of the original.
/// </summary>
/// <param name="Ns">Namespace name.</param>
/// <param name="Room">The room.</param>
/// <param name="By">Who edits or deletes (a member of the room).</param>
/// <param name="Target">The position of the message in the room's log.</param>
/// <param name="Text">The new text, or <c>null</c> to delete the message.</param>
/// <param name="ByRoomAdmin">
/// <paramref name="By"/> is an admin of the room (the hub decides): may delete another member's message.
/// </param>
/// <param name="Trace">The trace of the call, carried with the announcement as a send's is.</param>
public sealed record MessageEdit(string Ns, string Room, string By, MessageId Target, string? Text, bool ByRoomAdmin = false, ActivityContext Trace = default)
{
    /// <summary>Whether this deletes the message.</summary>
    public bool Deletes => Text is null;

    /// <summary>The id of the message edited (<c>{ms}-{seq}/r/{room}</c>).</summary>
    public string TargetId => new MessageRef(DeliveryScope.Room(Room), Target).ToString();

    /// <summary>The edit entry as its envelope will show it.</summary>
    public EnvelopeBody Body => new(Ns, Room, By, To: null, Text, Type: null, Payload: null, TargetId, Deletes);
}
