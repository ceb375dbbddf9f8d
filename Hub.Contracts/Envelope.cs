using System.Text.Json;

namespace Hub.Contracts;

/// <summary>One delivered message: a chat message or a notification.</summary>
/// <param name="Id">Unique in the namespace and increasing in send order; what a client acknowledges and de-duplicates by.</param>
/// <param name="Ns">The namespace: <c>chat</c> or <c>notifications</c>.</param>
/// <param name="Room">The room of a room message; <c>null</c> for direct messages, broadcasts and multi-room sends.</param>
/// <param name="From">The sending user (for notifications, the API caller's name).</param>
/// <param name="To">The target user of a direct message, else <c>null</c>.</param>
/// <param name="Text">The message text (chat); <c>null</c> for notifications.</param>
/// <param name="SentAt">When the server stored the message.</param>
/// <param name="Seq">Per-room sequence number of a single-room message: increases by one per message in that room.</param>
/// <param name="Redelivered"><c>true</c> when sent from the pending queue at (re)connect rather than live.</param>
/// <param name="Rooms">For a message sent to several rooms: each room with its per-room sequence number.</param>
/// <param name="Type">Notification type, e.g. <c>order.shipped</c>; <c>null</c> for chat.</param>
/// <param name="Payload">Notification payload (any JSON); <c>null</c> for chat.</param>
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
    JsonElement? Payload = null);
