using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

public sealed partial class RedisSubscriber
{
    [LoggerMessage(420, LogLevel.Warning, "Redis subscription connection lost ({Failure}: {Reason}); announcements are missed until it is back.")]
    private static partial void LogSubscriptionLost(ILogger logger, ConnectionFailureType failure, string? reason);

    [LoggerMessage(421, LogLevel.Information, "Redis subscription connection restored.")]
    private static partial void LogSubscriptionRestored(ILogger logger);

    [LoggerMessage(422, LogLevel.Warning, "Could not subscribe {Channel} ({Reason}); it is subscribed once Redis is back.")]
    private static partial void LogSubscribeDeferred(ILogger logger, string channel, string reason);
}
