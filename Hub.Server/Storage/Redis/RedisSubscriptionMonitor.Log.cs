namespace Hub.Server.Storage.Redis;

public sealed partial class RedisSubscriptionMonitor
{
    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Error, "Redis subscription is silent: a probe did not come back within {Timeout}. Reporting not ready and resubscribing.")]
        public static partial void ProbeSilent(ILogger logger, TimeSpan timeout);

        [LoggerMessage(401, LogLevel.Information, "Redis subscription delivers again after being silent.")]
        public static partial void ProbeRecovered(ILogger logger);

        [LoggerMessage(402, LogLevel.Warning, "Redis subscription is back after an interruption; connections will resume from their queues.")]
        public static partial void Resubscribed(ILogger logger);
    }
}
