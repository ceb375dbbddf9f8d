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
    public async Task Under_traffic_every_append_the_wait_confirmed_is_kept_when_its_master_is_killed_and_a_sharded_subscription_comes_back()
    {
        // This test kills a master: a cluster of its own, so the class's stays whole.
        await using var cluster = await RedisCluster.StartAsync();
        // Connected as a node connects: a call while no connection is up fails at once instead of waiting in a backlog.
        var options = RedisConnectionConfiguration.Create(new RedisOptions { Configuration = cluster.ConnectionString });
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        await using var publisherConnection = await ConnectionMultiplexer.ConnectAsync(options);
        var db = connection.GetDatabase();
        var tag = $"{{room-{Guid.NewGuid():N}}}";
        RedisKey log = tag + ":log";
        var channel = RedisChannel.Sharded(tag + ":announcements");
        var received = new ConcurrentQueue<string>();
        await connection.GetSubscriber().SubscribeAsync(channel, (_, message) => received.Enqueue(message!));

        // An append counts as confirmed (a SendResult would go out) only when WAIT says a replica has it.
        var confirmed = new ConcurrentQueue<long>();
        var storedAfterKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = false;
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            for (long n = 0; n < 10_000 && !stop.IsCancellationRequested && await pace.WaitForNextTickAsync(); n++)
            {
                try
                {
                    await db.StreamAddAsync(log, "n", n);
                    if (Volatile.Read(ref killed))
                    {
                        storedAfterKill.TrySetResult(); // the promoted replica takes writes (it has no replica to confirm them)
                    }
                    else if (await RedisReplication.WaitForReplicasAsync(connection, log, 1, WaitTimeout) == 1)
                    {
                        confirmed.Enqueue(n);
                    }
                }
                catch (Exception ex) when (IsFailoverError(ex))
                {
                    // The master is gone and its replica not promoted yet: the sender would be told to retry.
                }
                catch (Exception ex)
                {
                    storedAfterKill.TrySetException(ex); // fail the test with what went wrong, not a timeout
                    throw;
                }
            }
        });
        await Poll.UntilAsync(() => confirmed.Count >= 20, "20 appends are confirmed");

        var promoted = await cluster.KillMasterAsync(tag);
        Volatile.Write(ref killed, true);
        await storedAfterKill.Task.OrTimeout();
        await stop.CancelAsync();
        await traffic.OrTimeout();

        var kept = (await db.StreamRangeAsync(log)).Select(entry => (long)entry["n"]).ToList();
        Assert.Empty(confirmed.Except(kept));
        Assert.Equal(kept.Order(), kept);
        // The client learns the new owner of the slot from a MOVED or its next refresh of the cluster's layout, which may
        // come just after the write that proved the promotion: write until its map names the promoted replica.
        await Poll.UntilAsync(async _ =>
        {
            await db.StreamAddAsync(log, "n", -1);
            return ((System.Net.IPEndPoint)connection.GetServer(log, flags: CommandFlags.DemandMaster).EndPoint).Port == promoted.Port;
        }, "the client routes the slot to the promoted replica");
        // Pub/sub keeps nothing: publish until the subscription is back and one arrives.
        var sent = 0;
        await Poll.UntilAsync(async _ =>
        {
            await PublishAsync(publisherConnection, channel, $"after-{sent++}");
            return !received.IsEmpty;
        }, "a message published after the kill arrived");
    }

    // What a call meets while a master is dead and its replica not yet promoted: no connection to the dead master, and
    // CLUSTERDOWN from the nodes that count its slots as failed (seen for about a second, dozens of times at 200 calls/s).
    private static bool IsFailoverError(Exception ex) => ex is RedisConnectionException or RedisTimeoutException
        || (ex is RedisServerException && ex.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal));

    private static async Task PublishAsync(ConnectionMultiplexer connection, RedisChannel channel, string message)
    {
        try
        {
            await connection.GetSubscriber().PublishAsync(channel, message);
        }
        catch (Exception ex) when (IsFailoverError(ex))
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
