namespace Hub.Server.Common;

/// <summary>
/// A send reached the store but its answer did not come back in time (Redis froze, or the connection broke with the
/// send in flight): the message may or may not have been stored. Unlike <see cref="StoreUnavailableException"/>, this
/// does not say "nothing was stored"; a retry with the same idempotency key is answered with the first send's result
/// if it was stored, and stores it once if it was not.
/// </summary>
public sealed class StoreOutcomeUnknownException : Exception
{
    /// <summary>The message clients see.</summary>
    public const string ClientMessage = "Store did not answer in time; the message may have been stored. Retry with the same key.";

    /// <summary>What clients see for an edit or a deletion, which takes no key.</summary>
    public const string EditClientMessage = "Store did not answer in time; the edit may have been stored. Retrying it is safe: an edit stores the same text again, a deletion is refused as already done.";

    /// <summary>Wraps the underlying failure.</summary>
    public StoreOutcomeUnknownException(Exception? inner = null) : base(ClientMessage, inner) { }

    /// <summary>Wraps the underlying failure with the message clients see.</summary>
    public StoreOutcomeUnknownException(string message, Exception? inner) : base(message, inner) { }
}
