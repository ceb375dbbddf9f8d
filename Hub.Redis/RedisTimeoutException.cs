namespace Hub.Redis;

/// <summary>
/// A command got no reply within the command timeout (<c>syncTimeout</c>), or a connection attempt
/// did not finish within <c>connectTimeout</c>. A timed-out command may still have run on the server.
/// </summary>
public sealed class RedisTimeoutException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What timed out.</param>
    public RedisTimeoutException(string message)
        : base(message)
    {
    }
}
