namespace Hub.Server.Storage.Redis;

public sealed partial class NodeHeartbeat
{
    private static partial class Log
    {
        [LoggerMessage(410, LogLevel.Warning, "Node {Node} stopped beating: reaped the connections it held; {Users} users went offline.")]
        public static partial void Reaped(ILogger logger, string node, int users);

        [LoggerMessage(411, LogLevel.Warning, "Node heartbeat failed (Redis unavailable: {Reason}); retrying each beat.")]
        public static partial void BeatFailed(ILogger logger, string reason);

        [LoggerMessage(413, LogLevel.Information, "Removed {Count} closed connections from presence whose removal had failed.")]
        public static partial void RemovalsRepaired(ILogger logger, int count);

        [LoggerMessage(414, LogLevel.Warning, "This node was missing from Redis (reaped as dead, or Redis lost its data): recorded its {Connections} connections in presence again; {Users} users came back online.")]
        public static partial void PresenceRestored(ILogger logger, int connections, int users);

        [LoggerMessage(415, LogLevel.Error, "Redis lost its data (its store epoch changed): closing this node's connections so their clients resume and learn of it; rooms and queues are gone.")]
        public static partial void DataLost(ILogger logger);

        [LoggerMessage(416, LogLevel.Critical, "Redis:Partitions is {Configured} but the data in Redis was written with {Recorded} partitions: this node stops.")]
        public static partial void PartitionsDiffer(ILogger logger, int configured, long recorded);
    }
}
