using Hub.Server.Health;

namespace Hub.Server.Storage.Redis;

/// <summary>Cluster mode is ready while Redis answers on both connections and the subscription probe comes back.</summary>
internal sealed class RedisStoreHealth(RedisStoreConnection redis, RedisSubscriptionMonitor monitor) : IStoreHealth
{
    public string? NotReadyReason => !redis.IsConnected ? "Redis is unreachable." : monitor.NotReadyReason;
}
