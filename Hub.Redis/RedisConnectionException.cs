namespace Hub.Redis;

/// <summary>
/// The command could not be completed because there is no connection, the connection could not be
/// made, or it dropped while the command was pending. Whether the command ran on the server is unknown.
/// </summary>
public class RedisConnectionException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public RedisConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause (socket error, protocol error, timeout...).</param>
    public RedisConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
