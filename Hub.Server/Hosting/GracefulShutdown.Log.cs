namespace Hub.Server.Hosting;

internal sealed partial class GracefulShutdown
{
    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Shutting down: reporting not ready, asking clients to reconnect elsewhere in {DrainDelay}.")]
        public static partial void Draining(ILogger logger, TimeSpan drainDelay);

        [LoggerMessage(701, LogLevel.Warning, "Shutting down: asked {Count} connections to reconnect elsewhere and closed them.")]
        public static partial void Closed(ILogger logger, int count);
    }
}
