using System.Collections.Concurrent;
using Hub.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hub.Tests.Redis;

/// <summary>
/// The cluster fixture and StackExchange.Redis on a real Redis Cluster (three masters, three replicas): what the Redis
/// store relies on there, slot routing, scripts on hash-tagged keys and sharded pub/sub across a failover.
/// </summary>
public sealed class RedisClusterClientTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task The_cluster_has_three_masters_each_with_one_replica_and_the_client_sees_them()
    {
        var nodes = await redis.Cluster.GetNodesAsync();

        var masters = nodes.Where(node => node.IsMaster).ToList();
        Assert.Equal(3, masters.Count);
        Assert.Equal(masters.Select(master => master.Id).Order(), nodes.Where(node => !node.IsMaster).Select(replica => replica.MasterId!).Order());
        Assert.All(Enumerable.Range(0, 16384), slot => Assert.Single(masters, master => master.Serves(slot)));

        await using var connection = await redis.ConnectAsync();
        var servers = connection.GetServers();
        Assert.Equal(nodes.Select(node => node.Port).Order(), servers.Select(server => ((System.Net.IPEndPoint)server.EndPoint).Port).Order());
        Assert.All(servers, server => Assert.Equal(ServerType.Cluster, server.ServerType));
        Assert.Equal(3, servers.Count(server => server.IsReplica));
    }

    [Fact]
    public async Task Keys_on_every_master_are_written_and_read_through_one_connection_that_knew_one_node()
    {
        // Given only one endpoint, the client learns the others from it and sends each key to its slot's master.
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Cluster.Ports[0]}");
        var db = connection.GetDatabase();
        var keys = Enumerable.Range(0, 60).Select(i => $"spread:{Guid.NewGuid():N}:{i}").ToList();

        await Task.WhenAll(keys.Select(key => db.StringSetAsync(key, key)));

        foreach (var key in keys)
        {
            Assert.Equal(key, (string?)await db.StringGetAsync(key));
        }
        var masters = new HashSet<int>();
        foreach (var key in keys)
        {
            masters.Add((await redis.Cluster.GetMasterOfAsync(key)).Port);
        }
        Assert.Equal(3, masters.Count);
    }

    [Fact]
    public async Task A_client_follows_a_failover_to_the_new_master_whether_a_MOVED_or_a_refresh_of_its_slot_map_tells_it()
    {
        await using var connection = await redis.ConnectAsync();
        var moved = new ConcurrentQueue<HashSlotMovedEventArgs>();
        connection.HashSlotMoved += (_, e) => moved.Enqueue(e);
        var db = connection.GetDatabase();
        var key = $"{{moved-{Guid.NewGuid():N}}}:k";
        await db.StringSetAsync(key, "before");

        var newMaster = await redis.Cluster.FailoverAsync(key);

        // Usually the client still sends to the old master, now a replica, which answers MOVED; sometimes it has
        // already refreshed its map (seen once in a fresh-clone run). Either way the write lands on the new master.
        Assert.True(await db.StringSetAsync(key, "after"));
        Assert.Equal("after", (string?)await db.StringGetAsync(key));
        Assert.All(moved.Where(e => e.HashSlot == connection.HashSlot(key)), e => Assert.Equal(newMaster.Port, ((System.Net.IPEndPoint)e.NewEndPoint).Port));
        Assert.Equal(newMaster.Port, ((System.Net.IPEndPoint)connection.GetServer(key, flags: CommandFlags.DemandMaster).EndPoint).Port);
    }

    [Fact]
    public async Task A_script_runs_on_hash_tagged_keys_of_one_slot_and_is_refused_across_slots()
    {
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var room = Guid.NewGuid().ToString("N");
        const string Script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])";

        var count = await db.ScriptEvaluateAsync(Script, [$"{{{room}}}:last", $"{{{room}}}:count"], ["hello"]);

        Assert.Equal(1, (long)count);
        Assert.Equal("hello", (string?)await db.StringGetAsync($"{{{room}}}:last"));
        // StackExchange.Redis refuses it before Redis would (CROSSSLOT).
        var error = await Assert.ThrowsAsync<RedisCommandException>(() => db.ScriptEvaluateAsync(Script, [$"{room}:a", $"{room}:b"], ["x"]));
        Assert.Contains("single slot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sharded_subscription_receives_another_connections_publishes_before_and_after_its_master_fails_over()
    {
        await using var subscriberConnection = await redis.ConnectAsync();
        await using var publisherConnection = await redis.ConnectAsync();
        var channel = RedisChannel.Sharded($"{{room-{Guid.NewGuid():N}}}:announcements");
        var received = new ConcurrentQueue<string>();
        await subscriberConnection.GetSubscriber().SubscribeAsync(channel, (_, message) => received.Enqueue(message!));
        var publisher = publisherConnection.GetSubscriber();

        Assert.Equal(1, await publisher.PublishAsync(channel, "before"));
        await Poll.UntilAsync(() => received.Contains("before"), "the message published before the failover arrived");

        await redis.Cluster.FailoverAsync(channel.ToString());

        // The old master drops the subscription (an unsolicited SUNSUBSCRIBE) and StackExchange.Redis subscribes again
        // by itself; messages published meanwhile are lost (pub/sub keeps nothing), so publish until one arrives. The
        // publisher's slot map is stale (the old master, now a replica, takes the SPUBLISH); a fresh connection's is not.
        // Neither's count is checked: SPUBLISH counts the subscribers of the node that took it, not of the shard.
        await using var freshConnection = await redis.ConnectAsync();
        foreach (var (name, connection) in new[] { ("stale", publisherConnection), ("fresh", freshConnection) })
        {
            var sent = 0;
            await Poll.UntilAsync(async _ =>
            {
                await connection.GetSubscriber().PublishAsync(channel, $"{name}-{sent++}");
                return received.Any(message => message.StartsWith(name + "-", StringComparison.Ordinal));
            }, $"a message the {name} publisher published after the failover arrived");
        }
    }
}
