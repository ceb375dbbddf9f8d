namespace Hub.Server.Storage.Redis;

public sealed partial class PresenceRemovalQueue
{
    private static partial class Log
    {
        [LoggerMessage(412, LogLevel.Warning, "Could not remove connection {ConnectionId} of {User} in {Ns} from presence (Redis unavailable); retrying at each beat.")]
        public static partial void RemovalQueued(ILogger logger, string ns, string user, string connectionId);
    }
}
