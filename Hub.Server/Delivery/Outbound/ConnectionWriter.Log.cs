namespace Hub.Server.Delivery.Outbound;

internal sealed partial class ConnectionWriter
{
    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Warning, "Closed slow connection {ConnectionId} of {User} in {Ns} ({Reason}); its messages stay pending and are redelivered when it reconnects.")]
        public static partial void SlowConnectionClosed(ILogger logger, string ns, string user, string connectionId, SlowConnectionReason reason);
    }
}
