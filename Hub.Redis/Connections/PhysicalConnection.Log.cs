using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

internal sealed partial class PhysicalConnection
{
    [LoggerMessage(EventId = 1200, EventName = "RedisSocketFailed", Level = LogLevel.Debug,
        Message = "Redis {Kind} connection to {EndPoint} closed with {Pending} replies outstanding: {Reason}")]
    private static partial void LogConnectionFailed(ILogger logger, RedisConnectionKind kind, RedisEndPoint endPoint, int pending, string reason);

    [LoggerMessage(EventId = 1201, EventName = "RedisCommandTimedOut", Level = LogLevel.Warning,
        Message = "Redis {Kind} connection to {EndPoint}: {Command} got no reply within {TimeoutMs} ms; resetting the connection")]
    private static partial void LogCommandTimedOut(ILogger logger, RedisConnectionKind kind, RedisEndPoint endPoint, string command, long timeoutMs);

    [LoggerMessage(EventId = 1202, EventName = "RedisClientNameRejected", Level = LogLevel.Debug,
        Message = "Redis at {EndPoint} rejected CLIENT SETNAME: {Error}")]
    private static partial void LogClientNameRejected(ILogger logger, RedisEndPoint endPoint, string? error);
}
