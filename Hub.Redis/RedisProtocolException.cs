namespace Hub.Redis;

/// <summary>
/// The server sent bytes that are not valid RESP2 (bad type byte, bad length, missing CRLF, limits
/// exceeded, truncated reply). The connection is failed and re-established, so this is a kind of
/// <see cref="RedisConnectionException"/>.
/// </summary>
public sealed class RedisProtocolException : RedisConnectionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong with the input.</param>
    public RedisProtocolException(string message)
        : base(message)
    {
    }
}
