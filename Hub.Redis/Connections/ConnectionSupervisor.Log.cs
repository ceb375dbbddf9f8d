using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

internal partial class ConnectionSupervisor
{
    [LoggerMessage(EventId = 1100, EventName = "RedisConnected", Level = LogLevel.Information,
        Message = "Redis {Kind} connection established to {EndPoint}")]
    private static partial void LogConnected(ILogger logger, RedisConnectionKind kind, RedisEndPoint endPoint);

    [LoggerMessage(EventId = 1101, EventName = "RedisInitialConnectFailed", Level = LogLevel.Warning,
        Message = "Redis {Kind} connection could not be established; retrying in the background: {Reason}")]
    private static partial void LogInitialConnectFailed(ILogger logger, RedisConnectionKind kind, string reason);

    [LoggerMessage(EventId = 1102, EventName = "RedisConnectionLost", Level = LogLevel.Warning,
        Message = "Redis {Kind} connection to {EndPoint} lost; reconnecting: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, RedisConnectionKind kind, RedisEndPoint endPoint, string reason);

    [LoggerMessage(EventId = 1103, EventName = "RedisReconnectFailed", Level = LogLevel.Debug,
        Message = "Redis {Kind} reconnect attempt {Attempt} failed: {Reason}")]
    private static partial void LogReconnectFailed(ILogger logger, RedisConnectionKind kind, int attempt, string reason);

    [LoggerMessage(EventId = 1104, EventName = "RedisConnectionRestored", Level = LogLevel.Information,
        Message = "Redis {Kind} connection to {EndPoint} restored after {Attempts} attempts ({Elapsed})")]
    private static partial void LogConnectionRestored(ILogger logger, RedisConnectionKind kind, RedisEndPoint endPoint, int attempts, TimeSpan elapsed);

    [LoggerMessage(EventId = 1105, EventName = "RedisStateHandlerFailed", Level = LogLevel.Error,
        Message = "A Redis {Kind} connection state handler threw")]
    private static partial void LogStateHandlerFailed(ILogger logger, Exception exception, RedisConnectionKind kind);

    [LoggerMessage(EventId = 1106, EventName = "RedisSupervisorCrashed", Level = LogLevel.Critical,
        Message = "The Redis {Kind} connection supervisor stopped unexpectedly; no further reconnects")]
    private static partial void LogSupervisorCrashed(ILogger logger, Exception exception, RedisConnectionKind kind);
}
