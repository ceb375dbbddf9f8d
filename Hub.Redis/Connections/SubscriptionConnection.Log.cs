using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

internal sealed partial class SubscriptionConnection
{
    [LoggerMessage(EventId = 1300, EventName = "RedisSubscriptionHandlerFailed", Level = LogLevel.Error,
        Message = "A handler for Redis channel {Channel} threw; the message is skipped for this handler only")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 1301, EventName = "RedisSubscribeDeferred", Level = LogLevel.Debug,
        Message = "SUBSCRIBE {Channel} not confirmed ({Reason}); it will be sent again when the connection is restored")]
    private static partial void LogSubscribeDeferred(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1302, EventName = "RedisUnsubscribeFailed", Level = LogLevel.Debug,
        Message = "UNSUBSCRIBE {Channel} not confirmed: {Reason}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 1303, EventName = "RedisResubscribed", Level = LogLevel.Information,
        Message = "Resubscribed {Count} Redis channels on {EndPoint}")]
    private static partial void LogResubscribed(ILogger logger, int count, RedisEndPoint endPoint);

    [LoggerMessage(EventId = 1304, EventName = "RedisResubscribeRejected", Level = LogLevel.Warning,
        Message = "Redis refused to resubscribe a channel: {Error}")]
    private static partial void LogResubscribeRejected(ILogger logger, string? error);
}
