namespace Hub.Server.Common;

/// <summary>The backing store (Redis) cannot be reached: the caller may retry; nothing was stored.</summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>The message clients see.</summary>
    public const string ClientMessage = "Store unavailable, retry.";

    /// <summary>Wraps the underlying failure.</summary>
    public StoreUnavailableException(Exception? inner = null) : base(ClientMessage, inner) { }
}
