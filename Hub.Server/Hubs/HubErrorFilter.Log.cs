namespace Hub.Server.Hubs;

public sealed partial class HubErrorFilter
{
    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Debug, "Refused {Method} for {User}: {Reason}")]
        public static partial void RefusedCall(ILogger logger, string method, string? user, string reason);

        [LoggerMessage(601, LogLevel.Information, "Refused a connection of {User}: {Reason}")]
        public static partial void RefusedConnection(ILogger logger, string? user, string reason);
    }
}
