namespace Hub.Redis;

/// <summary>
/// The server answered a command with an error reply (<c>-ERR ...</c>, <c>-WRONGTYPE ...</c>,
/// <c>-NOSCRIPT ...</c>). The connection is fine and stays usable.
/// </summary>
public sealed class RedisServerException : RedisException
{
    /// <summary>Creates the exception from the server's error text.</summary>
    /// <param name="message">The server's error text, e.g. <c>ERR unknown command 'FOO'</c>.</param>
    public RedisServerException(string message)
        : base(message)
    {
        var space = message.IndexOf(' ', StringComparison.Ordinal);
        ErrorCode = space < 0 ? message : message[..space];
    }

    /// <summary>The first word of the server's error, e.g. <c>ERR</c>, <c>WRONGTYPE</c>, <c>NOSCRIPT</c>, <c>WRONGPASS</c>.</summary>
    public string ErrorCode { get; }
}
