using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// The load-balanced tests (<see cref="LoadBalancedClusterTests"/>: three Hub.Server processes behind nginx, one
/// killed under traffic) with the nodes on a real Redis Cluster of three masters and three replicas.
/// </summary>
public sealed class LoadBalancedRedisClusterModeTests(RedisClusterFixture redis) : LoadBalancedClusterTests, IClassFixture<RedisClusterFixture>
{
    protected override string? RedisConfiguration => redis.ConnectionString;
}
