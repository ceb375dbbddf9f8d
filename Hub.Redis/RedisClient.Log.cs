using Microsoft.Extensions.Logging;

namespace Hub.Redis;

public sealed partial class RedisClient
{
    [LoggerMessage(EventId = 1000, EventName = "RedisScriptNotCached", Level = LogLevel.Debug,
        Message = "Redis did not have script {Sha1} cached (NOSCRIPT); sending its source with EVAL")]
    private static partial void LogScriptNotCached(ILogger logger, string sha1);

    [LoggerMessage(EventId = 1001, EventName = "RedisStateChangedHandlerFailed", Level = LogLevel.Error,
        Message = "A ConnectionStateChanged handler threw for the {Connection} connection")]
    private static partial void LogStateHandlerFailed(ILogger logger, Exception exception, RedisConnectionKind connection);
}
