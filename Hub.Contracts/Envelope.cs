using System.Text.Json;

namespace Hub.Contracts;

/// <summary>One delivered message: a chat message or a notification.</summary>
/// <param name="Id">
/// Where the message is stored: <c>{ms}-{n}/r/{room}</c> for a room message, <c>{ms}-{n}/d/{a}/{b}</c> for a direct
/// message (the conversation of users <c>a</c> and <c>b</c>, in ordinal order), <c>{ms}-{n}</c> for a message addressed to
/// the user (a notification, a broadcast). Unique for its recipient in the namespace and increasing in send order
/// within its room, conversation or user stream; what a client acknowledges (cumulatively there) and de-duplicates by.
/// </param>
/// <param name="Ns">The namespace: <c>chat</c> or <c>notifications</c>.</param>
/// <param name="Room">The room of a room message (a send to several rooms is one message per room); <c>null</c> otherwise.</param>
/// <param name="From">The sending user (for notifications, the API caller's name).</param>
/// <param name="To">The target user of a direct message, else <c>null</c>.</param>
/// <param name="Text">The message text (chat); <c>null</c> for notifications.</param>
/// <param name="SentAt">When the server stored the message.</param>
/// <param name="Seq">
/// Sequence number of a room or direct message in its room or conversation: increases by one per message there;
/// <c>null</c> for messages addressed to the user.
/// </param>
/// <param name="Redelivered"><c>true</c> when sent from the device's backlog at (re)connect rather than live.</param>
/// <param name="Rooms">
/// No longer set: a send to several rooms is one message per room, each with its <see cref="Room"/> and <see cref="Seq"/>.
/// </param>
/// <param name="Type">Notification type, e.g. <c>order.shipped</c>; <c>null</c> for chat.</param>
/// <param name="Payload">Notification payload (any JSON); <c>null</c> for chat.</param>
/// <param name="TargetId">
/// On a <c>MessageEdited</c> or <c>MessageDeleted</c> event: the id of the message that was edited or deleted (this
/// envelope's own <see cref="Id"/> is the edit's place in the room's log, acknowledged like a message's). <c>null</c> on
/// messages.
/// </param>
/// <param name="EditedAt">
/// When the message's text was last changed (on a message from history or a backlog), or when this edit was made (on a
/// <c>MessageEdited</c> / <c>MessageDeleted</c> event); <c>null</c> for a message never edited.
/// </param>
/// <param name="Deleted">
/// <c>true</c> for a deleted message (a tombstone: <see cref="Text"/> is <c>null</c>) and on a <c>MessageDeleted</c> event.
/// </param>
public sealed record Envelope(
    string Id,
    string Ns,
    string? Room,
    string From,
    string? To,
    string? Text,
    DateTimeOffset SentAt,
    long? Seq,
    bool Redelivered,
    IReadOnlyDictionary<string, long>? Rooms = null,
    string? Type = null,
    JsonElement? Payload = null,
    string? TargetId = null,
    DateTimeOffset? EditedAt = null,
    bool Deleted = false);
