namespace Hub.Redis;

/// <summary>The RESP2 type of a reply.</summary>
public enum RedisResultKind
{
    /// <summary>A simple string (<c>+OK\r\n</c>).</summary>
    SimpleString,

    /// <summary>An error (<c>-ERR message\r\n</c>).</summary>
    Error,

    /// <summary>An integer (<c>:42\r\n</c>).</summary>
    Integer,

    /// <summary>A bulk string (<c>$3\r\nabc\r\n</c>), possibly null (<c>$-1\r\n</c>).</summary>
    BulkString,

    /// <summary>An array (<c>*2\r\n...</c>), possibly null (<c>*-1\r\n</c>).</summary>
    Array,
}
