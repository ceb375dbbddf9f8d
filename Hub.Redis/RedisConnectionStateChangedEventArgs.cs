namespace Hub.Redis;

/// <summary>Describes one connection going down or coming (back) up.</summary>
public sealed class RedisConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="connection">Which connection changed.</param>
    /// <param name="isConnected">Whether it is now connected.</param>
    /// <param name="endPoint">The server it was or is now connected to.</param>
    /// <param name="exception">Why it went down (null when it came up).</param>
    public RedisConnectionStateChangedEventArgs(RedisConnectionKind connection, bool isConnected, RedisEndPoint? endPoint, Exception? exception)
    {
        Connection = connection;
        IsConnected = isConnected;
        EndPoint = endPoint;
        Exception = exception;
    }

    /// <summary>Which connection changed.</summary>
    public RedisConnectionKind Connection { get; }

    /// <summary>Whether this connection is now connected.</summary>
    public bool IsConnected { get; }

    /// <summary>The server the connection was (when lost) or is now (when restored) connected to, when known.</summary>
    public RedisEndPoint? EndPoint { get; }

    /// <summary>Why the connection was lost; null when it was restored.</summary>
    public Exception? Exception { get; }
}
