namespace Hub.Server.Common;

/// <summary>
/// The backing store (Redis) did not do what was asked: the caller may retry. When <see cref="MayHaveRun"/> is false
/// nothing was changed (the command never reached the store); when true the command was written and not answered, so
/// a change may have been made (a send turns this into <see cref="StoreOutcomeUnknownException"/>).
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>The message clients see.</summary>
    public const string ClientMessage = "Store unavailable, retry.";

    /// <summary>Wraps the underlying failure of a command that never reached the store.</summary>
    public StoreUnavailableException(Exception? inner = null) : this(inner, mayHaveRun: false) { }

    /// <summary>Wraps the underlying failure.</summary>
    /// <param name="inner">The failure.</param>
    /// <param name="mayHaveRun">Whether the command was written to the store before it failed (no answer in time, or the connection broke with it in flight).</param>
    public StoreUnavailableException(Exception? inner, bool mayHaveRun) : base(ClientMessage, inner) => MayHaveRun = mayHaveRun;

    /// <summary>Whether the command reached the store and may have run although its answer never came.</summary>
    public bool MayHaveRun { get; }
}
