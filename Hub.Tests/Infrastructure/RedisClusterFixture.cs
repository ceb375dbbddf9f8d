using StackExchange.Redis;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster (three masters, three replicas: <see cref="RedisCluster"/>) for one test class
/// (<c>IClassFixture&lt;RedisClusterFixture&gt;</c>), started before its first test and stopped after its last. Tests
/// of a class run one at a time, so a test may fail a master over (<see cref="RedisCluster.FailoverAsync"/>: the cluster
/// is whole again afterwards) but must not kill one: a test that does starts a cluster of its own with
/// <see cref="RedisCluster.StartAsync"/>. Every test uses keys of its own.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    /// <summary>The cluster.</summary>
    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is started by xunit before the first test.");

    /// <summary>Every node's endpoint, for StackExchange.Redis.</summary>
    public string ConnectionString => Cluster.ConnectionString;

    /// <summary>A new StackExchange.Redis connection to the cluster, with <paramref name="options"/> added to <see cref="ConnectionString"/>.</summary>
    /// <param name="options">More StackExchange.Redis options (<c>,name=value</c>...), or empty.</param>
    public Task<ConnectionMultiplexer> ConnectAsync(string options = "") => ConnectionMultiplexer.ConnectAsync(ConnectionString + options);

    async Task IAsyncLifetime.InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
