using Hub.Server.Health;

namespace Hub.Server.Storage.Redis;

/// <summary>Cluster mode is ready while Redis answers on both connections.</summary>
internal sealed class RedisStoreHealth(RedisStoreConnection redis) : IStoreHealth
{
    public string? NotReadyReason => redis.IsConnected ? null : "Redis is unreachable.";
}
