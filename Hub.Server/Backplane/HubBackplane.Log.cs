namespace Hub.Server.Backplane;

internal sealed partial class HubBackplane<THub>
{
    private static partial class Log
    {
        [LoggerMessage(304, LogLevel.Warning, "Backplane: no ack within {Timeout} to {Action} connection {ConnectionId} to/from group {Group}; it exists nowhere or its node does not answer.")]
        public static partial void GroupAckTimeout(ILogger logger, string action, string connectionId, string group, TimeSpan timeout);
    }
}
