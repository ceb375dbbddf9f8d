namespace Hub.Server.Storage.Redis;

public sealed partial class NodeHeartbeat
{
    private static partial class Log
    {
        [LoggerMessage(410, LogLevel.Warning, "Node {Node} stopped beating: reaped the connections it held; {Users} users went offline.")]
        public static partial void Reaped(ILogger logger, string node, int users);

        [LoggerMessage(411, LogLevel.Warning, "Node heartbeat failed (Redis unavailable: {Reason}); retrying each beat.")]
        public static partial void BeatFailed(ILogger logger, string reason);
    }
}
