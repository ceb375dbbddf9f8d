using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>Several real Hub nodes (Kestrel, loopback ports) sharing one redis-server or Redis Cluster under a prefix of their own.</summary>
public sealed class RedisNodes : IAsyncDisposable
{
    private readonly List<HubTestHost> _nodes;

    private RedisNodes(List<HubTestHost> nodes) => _nodes = nodes;

    /// <summary>The nodes.</summary>
    public IReadOnlyList<HubTestHost> Nodes => _nodes;

    /// <summary>Node A, B, C...</summary>
    public HubTestHost this[int index] => _nodes[index];

    /// <summary>Starts <paramref name="count"/> nodes on <paramref name="redis"/>; a fresh prefix isolates this test's keys.</summary>
    public static Task<RedisNodes> StartAsync(RedisServerFixture redis, int count, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(redis.ConnectionString, count, settings);

    /// <summary>
    /// Starts <paramref name="count"/> nodes on the Redis <paramref name="redisConfiguration"/> names: one redis-server,
    /// or every endpoint of a Redis Cluster (<see cref="RedisClusterFixture.ConnectionString"/>); a fresh prefix isolates
    /// this test's keys.
    /// </summary>
    public static async Task<RedisNodes> StartAsync(string redisConfiguration, int count, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..10];
        var all = new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redisConfiguration + ",connectTimeout=2000",
            ["Redis:CommandTimeout"] = "00:00:03",
            ["Redis:Prefix"] = prefix,
            ["Redis:ProbeInterval"] = "00:00:01",
            ["Redis:ProbeTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var nodes = new List<HubTestHost>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var node = await HubTestHost.StartAsync(all);
                nodes.Add(node);
                await node.WaitUntilReadyAsync();
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            throw;
        }
        return new RedisNodes(nodes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
