namespace Hub.Server.Admin;

public sealed partial class NodeReporter
{
    private static partial class Log
    {
        [LoggerMessage(800, LogLevel.Warning, "Could not publish this node's admin report (retrying every sample): {Reason}")]
        public static partial void ReportFailed(ILogger logger, string reason);
    }
}
