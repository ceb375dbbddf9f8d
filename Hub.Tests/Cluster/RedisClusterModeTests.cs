using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// The cross-node tests (<see cref="CrossNodeTests"/>) with the nodes on a real Redis Cluster (three masters, three
/// replicas, one cluster for the class): rooms, users and conversations spread over the masters' slots, and each
/// partition announces on its own sharded channel.
/// </summary>
public sealed class RedisClusterModeTests(RedisClusterFixture redis) : CrossNodeTests, IClassFixture<RedisClusterFixture>
{
    protected override string RedisConfiguration => redis.ConnectionString;
}
