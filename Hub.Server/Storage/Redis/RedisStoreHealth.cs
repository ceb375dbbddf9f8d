using Hub.Server.Health;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Cluster mode is ready while both Redis connections are up, Redis answers (no command timed out since its last
/// answer) and the subscription probe comes back.
/// </summary>
internal sealed class RedisStoreHealth(RedisStoreConnection redis, RedisSubscriptionMonitor monitor) : IStoreHealth
{
    public string? NotReadyReason => !redis.IsConnected ? "Redis is unreachable."
        : !redis.IsResponsive ? "Redis does not answer (a command timed out)."
        : monitor.NotReadyReason;
}
