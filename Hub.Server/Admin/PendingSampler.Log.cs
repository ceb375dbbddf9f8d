namespace Hub.Server.Admin;

public sealed partial class PendingSampler
{
    private static partial class Log
    {
        [LoggerMessage(801, LogLevel.Warning, "Could not sample pending depth for the hub.pending gauges (retrying every interval): {Reason}")]
        public static partial void SampleFailed(ILogger logger, string reason);
    }
}
