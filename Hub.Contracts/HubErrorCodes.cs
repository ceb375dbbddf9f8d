namespace Hub.Contracts;

/// <summary>
/// The stable codes of the errors a hub method (or a connect) is refused with; they ride on the wire with the human
/// text (see <see cref="HubError"/> and docs/protocol.md). Match on these, never on the text, which may be reworded.
/// </summary>
public static class HubErrorCodes
{
    /// <summary>A name, id, cursor, limit or request shape the server does not accept; fix the request. HTTP 400.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A message over the size limit (<c>Limits:MaxTextBytes</c>). HTTP 413.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The user's rate limit for this kind of call is spent; retry after <see cref="HubError.RetryAfter"/>. HTTP 429.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The user has the most connections allowed to the namespace (<c>Limits:MaxConnectionsPerUser</c>). HTTP 429.</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>The namespace knows the most users allowed, and this one is new (<c>Limits:MaxUsersPerNamespace</c>). HTTP 503.</summary>
    public const string NamespaceFull = "namespace_full";

    /// <summary>The room does not exist. HTTP 404.</summary>
    public const string RoomNotFound = "room_not_found";

    /// <summary>The user was never seen in the namespace (a direct message or notification to them). HTTP 404.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>A room of that name already exists. HTTP 409.</summary>
    public const string RoomExists = "room_exists";

    /// <summary>Only the room's owner may do this. HTTP 403.</summary>
    public const string NotOwner = "not_owner";

    /// <summary>The caller is not a member of the room. HTTP 403.</summary>
    public const string NotMember = "not_member";
    /// <summary>Only the room's owner or an admin may do this (invite, kick), and an admin only to plain members. HTTP 403.</summary>
    public const string NotAdmin = "not_admin";

    /// <summary>The room has the most members allowed (<c>Limits:MaxMembersPerRoom</c>). HTTP 409.</summary>
    public const string RoomFull = "room_full";

    /// <summary>
    /// A count limit of the user or the namespace is reached (rooms joined, rooms owned, rooms in the namespace);
    /// something must be left or deleted first. HTTP 409.
    /// </summary>
    public const string LimitReached = "limit_reached";

    /// <summary>The idempotency key was already used for a different message. HTTP 409.</summary>
    public const string KeyReused = "key_reused";

    /// <summary>The message to edit or delete is not in the room's log (never was, or trimmed by the history bound). HTTP 404.</summary>
    public const string MessageNotFound = "message_not_found";

    /// <summary>Only the message's author may do this (edit it; delete it, unless a room admin). HTTP 403.</summary>
    public const string NotAuthor = "not_author";

    /// <summary>The message was deleted: it cannot be edited or deleted again. HTTP 409.</summary>
    public const string MessageDeleted = "message_deleted";

    /// <summary>The store (Redis) cannot be reached; nothing was stored, retry. HTTP 503.</summary>
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>
    /// The store (Redis) got the send but did not answer in time: the message may have been stored. Retry with the
    /// same idempotency key, which stores it once either way. HTTP 504.
    /// </summary>
    public const string StoreOutcomeUnknown = "store_outcome_unknown";

    /// <summary>
    /// The server failed without saying why (an unexpected error, or an error from before codes existed); this is
    /// what a client reads when the error carries no code.
    /// </summary>
    public const string ServerError = "server_error";

    /// <summary>Whether retrying the same call unchanged can succeed: the refusal is about now, not about the request.</summary>
    /// <param name="code">An error code.</param>
    /// <returns><c>true</c> for <see cref="RateLimited"/>, <see cref="StoreUnavailable"/> and <see cref="StoreOutcomeUnknown"/>.</returns>
    public static bool IsRetryable(string code) => code is RateLimited or StoreUnavailable or StoreOutcomeUnknown;
}
