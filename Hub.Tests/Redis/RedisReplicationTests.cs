using System.Collections.Concurrent;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hub.Tests.Redis;

/// <summary>
/// <see cref="RedisReplication.WaitForReplicasAsync"/> on a real Redis Cluster: <c>WAIT</c> reaches the master of the
/// written key (and no other), follows the key to a new master, and what it confirmed survives the master's death.
/// </summary>
public sealed class RedisReplicationTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Waiting_for_one_replica_after_a_write_returns_one()
    {
        await using var connection = await redis.ConnectAsync();
        var key = $"{{wait-{Guid.NewGuid():N}}}:log";
        await connection.GetDatabase().StreamAddAsync(key, "body", "hello");

        Assert.Equal(1, await RedisReplication.WaitForReplicasAsync(connection, key, 1, WaitTimeout));
    }

    [Fact]
    public async Task The_wait_goes_to_the_master_of_the_key_so_a_frozen_replica_of_another_master_does_not_hold_it()
    {
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var (frozenKey, otherKey) = await KeysOnTwoMastersAsync();
        await db.StringSetAsync(frozenKey, "x");
        await db.StringSetAsync(otherKey, "y");
        var master = await redis.Cluster.GetMasterOfAsync(frozenKey);
        var replica = (await redis.Cluster.GetNodesAsync()).Single(node => node.MasterId == master.Id);
        var frozen = redis.Cluster.NodeProcess(replica.Port);

        await frozen.FreezeAsync();
        try
        {
            await db.StringSetAsync(frozenKey, "written while the replica is frozen");
            await db.StringSetAsync(otherKey, "written to the other master");

            // Shorter than the cluster's node timeout, so the frozen replica is not failed meanwhile.
            Assert.Equal(0, await RedisReplication.WaitForReplicasAsync(connection, frozenKey, 1, TimeSpan.FromMilliseconds(300)));
            Assert.Equal(1, await RedisReplication.WaitForReplicasAsync(connection, otherKey, 1, WaitTimeout));
        }
        finally
        {
            await frozen.ThawAsync();
        }
        Assert.Equal(1, await RedisReplication.WaitForReplicasAsync(connection, frozenKey, 1, WaitTimeout));
    }

    [Fact]
    public async Task After_a_failover_the_wait_follows_the_key_to_its_new_master()
    {
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var key = $"{{failover-{Guid.NewGuid():N}}}:log";
        await db.StringSetAsync(key, "before");

        var newMaster = await redis.Cluster.FailoverAsync(key);
        await db.StringSetAsync(key, "after"); // MOVED: the client's slot map now names the new master

        Assert.Equal(newMaster.Port, ((System.Net.IPEndPoint)connection.GetServer((RedisKey)key, flags: CommandFlags.DemandMaster).EndPoint).Port);
        Assert.Equal(1, await RedisReplication.WaitForReplicasAsync(connection, key, 1, WaitTimeout));
    }

    [Fact]
    public async Task Writes_the_wait_confirmed_survive_the_kill_of_their_master_and_a_sharded_subscription_comes_back()
    {
        // This test kills a master: a cluster of its own, so the class's stays whole.
        await using var cluster = await RedisCluster.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        await using var publisherConnection = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString);
        var db = connection.GetDatabase();
        var tag = $"{{room-{Guid.NewGuid():N}}}";
        var channel = RedisChannel.Sharded(tag + ":announcements");
        var received = new ConcurrentQueue<string>();
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => received.Enqueue(message!));
        for (var i = 0; i < 100; i++)
        {
            await db.StreamAddAsync(tag + ":log", "n", i);
        }
        Assert.Equal(1, await RedisReplication.WaitForReplicasAsync(connection, tag + ":log", 1, WaitTimeout));

        var promoted = await cluster.KillMasterAsync(tag);

        await Poll.UntilAsync(async _ =>
        {
            try
            {
                return await db.StreamLengthAsync(tag + ":log") == 100;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                return false; // the client has not found the new master yet
            }
        }, "the confirmed writes are read from the promoted replica");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), (await db.StreamRangeAsync(tag + ":log")).Select(entry => (long)entry["n"]));
        Assert.Equal(promoted.Port, ((System.Net.IPEndPoint)connection.GetServer((RedisKey)(tag + ":log"), flags: CommandFlags.DemandMaster).EndPoint).Port);
        // Pub/sub keeps nothing: publish until the subscription is back and one arrives.
        var sent = 0;
        await Poll.UntilAsync(async _ =>
        {
            await PublishAsync(publisherConnection, channel, $"after-{sent++}");
            return !received.IsEmpty;
        }, "a message published after the kill arrived");
    }

    private static async Task PublishAsync(ConnectionMultiplexer connection, RedisChannel channel, string message)
    {
        try
        {
            await connection.GetSubscriber().PublishAsync(channel, message);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Still sending to the dead master: the next try goes to the new one.
        }
    }

    private async Task<(string, string)> KeysOnTwoMastersAsync()
    {
        var first = $"{{a-{Guid.NewGuid():N}}}:k";
        var master = (await redis.Cluster.GetMasterOfAsync(first)).Port;
        // Each random key is on another master two times in three: 50 tries all failing means the cluster is broken.
        for (var i = 0; i < 50; i++)
        {
            var other = $"{{b-{Guid.NewGuid():N}}}:k";
            if ((await redis.Cluster.GetMasterOfAsync(other)).Port != master)
            {
                return (first, other);
            }
        }
        throw new InvalidOperationException($"50 keys all had master {master}.");
    }
}
