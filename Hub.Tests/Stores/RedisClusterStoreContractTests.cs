using Hub.Tests.Infrastructure;

namespace Hub.Tests.Stores;

/// <summary>
/// The store contract, run against the Redis stores on a real Redis Cluster (three masters, three replicas) started
/// for this class: every script and multi-key command must touch one slot, and reads follow the slots' masters.
/// </summary>
public sealed class RedisClusterStoreContractTests(RedisClusterFixture cluster) : RedisBackedStoreContractTests, IClassFixture<RedisClusterFixture>
{
    protected override string Configuration => cluster.ConnectionString;
}
