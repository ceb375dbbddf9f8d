using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

public sealed partial class RedisSubscriber
{
    private static partial class Log
    {
        [LoggerMessage(420, LogLevel.Warning, "Redis subscription connection lost ({Failure}: {Reason}); announcements are missed until it is back.")]
        public static partial void SubscriptionLost(ILogger logger, ConnectionFailureType failure, string? reason);

        [LoggerMessage(421, LogLevel.Information, "Redis subscription connection restored.")]
        public static partial void SubscriptionRestored(ILogger logger);

        [LoggerMessage(422, LogLevel.Warning, "Could not subscribe {Channel} ({Reason}); it is subscribed once Redis is back.")]
        public static partial void SubscribeDeferred(ILogger logger, string channel, string reason);
    }
}
