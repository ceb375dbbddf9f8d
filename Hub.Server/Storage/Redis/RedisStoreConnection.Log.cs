namespace Hub.Server.Storage.Redis;

public sealed partial class RedisStoreConnection
{
    [LoggerMessage(430, LogLevel.Warning, "Redis does not answer ({Reason}); reporting not ready until it answers again.")]
    private static partial void LogUnresponsive(ILogger logger, string reason);

    [LoggerMessage(431, LogLevel.Information, "Redis answers again.")]
    private static partial void LogAnswersAgain(ILogger logger);
}
