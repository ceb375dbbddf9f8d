namespace Hub.Contracts;

/// <summary>
/// Argument of the chat hub's <c>Send(request)</c>: one message to exactly one target (set one of <see cref="Room"/>,
/// <see cref="Rooms"/>, <see cref="User"/> or <see cref="Broadcast"/>), with an optional idempotency key.
/// </summary>
/// <param name="Text">The message text.</param>
/// <param name="Room">One room (the sender must be a member).</param>
/// <param name="Rooms">Several rooms (the sender must be a member of each; a user in several gets it once).</param>
/// <param name="User">One user: a direct message.</param>
/// <param name="Broadcast"><c>true</c>: every other user online in the namespace.</param>
/// <param name="Key">
/// Idempotency key: 1-64 printable ASCII characters without spaces, unique per message. A retry with the same key
/// (after a lost answer) returns the first <see cref="SendResult"/> and stores nothing new.
/// </param>
public sealed record SendRequest(
    string? Text,
    string? Room = null,
    IReadOnlyList<string>? Rooms = null,
    string? User = null,
    bool Broadcast = false,
    string? Key = null);
