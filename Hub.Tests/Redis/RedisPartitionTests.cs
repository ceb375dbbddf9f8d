using System.Globalization;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Hub.Tests.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Tests.Redis;

/// <summary>How the Redis store spreads its keys over partitions, and what a send costs Redis.</summary>
public sealed class RedisPartitionTests(RedisPartitionTests.Server server) : IClassFixture<RedisPartitionTests.Server>
{
    /// <summary>One redis-server for the class; each test uses its own prefix.</summary>
    public sealed class Server : RedisServerFixture;

    [Fact]
    public void The_partition_of_a_name_is_fnv1a_of_its_bytes_so_every_node_and_version_agrees()
    {
        // FNV-1a 32-bit reference values: "a" = 0xe40c292c, "foobar" = 0xbf9cf968.
        var keys = new RedisKeys("hub", 1024);

        Assert.Equal((int)(0xe40c292cu % 1024), keys.PartitionOf("a"));
        Assert.Equal((int)(0xbf9cf968u % 1024), keys.PartitionOf("foobar"));
        Assert.Equal(keys.PartitionOf("r/general"), keys.RoomPartition("general"));
        Assert.Equal(keys.PartitionOf("u/alice"), keys.UserPartition("alice"));
    }

    [Fact]
    public void Names_spread_evenly_over_the_partitions()
    {
        var keys = new RedisKeys("hub", 64);

        var counts = Enumerable.Range(0, 64_000).GroupBy(i => keys.RoomPartition("room" + i.ToString(CultureInfo.InvariantCulture))).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(64, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1200)); // 1,000 each if perfectly even
    }

    [Fact]
    public async Task Every_key_and_the_channel_of_a_room_or_a_user_share_one_cluster_slot()
    {
        var keys = new RedisKeys("hub");
        await using var mux = await server.ConnectInspectorAsync();

        int[] room = [.. new[] { keys.Room("chat", "general"), keys.Members("chat", "general"), keys.Log("chat", DeliveryScope.Room("general")),
            keys.Counter("chat", keys.RoomPartition("general")), keys.Live("chat", keys.RoomPartition("general")) }.Select(k => mux.HashSlot(k))];
        int[] user = [.. new[] { keys.UserRooms("chat", "alice"), keys.Devices("chat", "alice"), keys.Connections("chat", "alice"),
            keys.Online("chat", "alice"), keys.SendKeyClaim("chat", "alice", "k") }.Select(k => mux.HashSlot(k))];

        Assert.Single(room.Distinct());
        Assert.Single(user.Distinct());
    }

    [Fact]
    public async Task A_room_message_costs_redis_the_same_commands_whatever_the_rooms_size()
    {
        await using var inspector = await server.ConnectInspectorAsync();
        var admin = inspector.GetServer(inspector.GetEndPoints()[0]);
        await using var stores = await StoresAsync();
        var limits = new RoomLimits(MaxRoomsPerUser: 10, MaxMembersPerRoom: 1000);
        await stores.Rooms.CreateAsync("chat", "small", "alice", limits);
        await stores.Rooms.CreateAsync("chat", "large", "alice", limits);
        await stores.Rooms.JoinAsync("chat", "small", "bob", limits, false);
        for (var i = 0; i < 500; i++)
        {
            await stores.Rooms.JoinAsync("chat", "large", "u" + i.ToString(CultureInfo.InvariantCulture), limits, false);
        }

        async Task<long> CommandsForAsync(string room)
        {
            await admin.ConfigResetStatisticsAsync();
            for (var i = 0; i < 20; i++)
            {
                await stores.Delivery.AppendAsync(new OutgoingMessage("chat", "alice", DeliveryTarget.ToRooms([room]), Text: "hi", SenderMustBeMember: true));
            }
            var stats = (await admin.InfoAsync("commandstats")).SelectMany(g => g).Where(kv => kv.Key.StartsWith("cmdstat_", StringComparison.Ordinal));
            // "calls=3,usec=..." per command, scripts' inner commands included; INFO and CONFIG are the test's own, and
            // HSET only runs when the clock moved to another millisecond since the room's last message.
            return stats.Where(kv => kv.Key is not ("cmdstat_info" or "cmdstat_config|resetstat" or "cmdstat_hset"))
                .Sum(kv => long.Parse(kv.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
        }

        await CommandsForAsync("small"); // loads the script: EVAL and SCRIPT LOAD once, EVALSHA from then on
        var small = await CommandsForAsync("small");
        var large = await CommandsForAsync("large");

        Assert.Equal(small, large);
        // EVALSHA, then EXISTS, SISMEMBER, HGET, HINCRBY, XADD, SMEMBERS, INCR, SPUBLISH: none per member.
        Assert.Equal(20 * 9, large);
    }

    [Fact]
    public async Task A_node_configured_with_another_partition_count_refuses_to_start()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N")[..8];
        async Task BeatAsync(int partitions)
        {
            var options = Options.Create(new RedisOptions { Configuration = server.ConnectionString, Prefix = prefix, Partitions = partitions });
            await using var redis = new RedisStoreConnection(options, NullLoggerFactory.Instance);
            await RedisStores.WaitUntilConnectedAsync(redis);
            var queue = new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance);
            var heartbeat = new NodeHeartbeat(redis, new NodeIdentity(), new NoPresenceListener(), NoLiveConnections.Instance, queue, new RedisDataLoss(), options,
                TimeProvider.System, NullLogger<NodeHeartbeat>.Instance);
            await heartbeat.BeatAndReapAsync();
        }

        await BeatAsync(64);
        await BeatAsync(64);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => BeatAsync(32));

        Assert.Contains("Redis:Partitions is 32 but the data in Redis", refused.Message);
        Assert.Contains("set Redis:Partitions to 64", refused.Message);
    }

    [Fact]
    public async Task A_send_that_fewer_replicas_than_asked_confirm_in_time_is_answered_store_unavailable_and_its_retry_stores_it_once()
    {
        // A single Redis has no replica: WAIT 1 always comes back with 0.
        await using var stores = await StoresAsync(new RedisOptions { WaitForReplicas = 1, CommandTimeout = TimeSpan.FromMilliseconds(400) });
        var limits = new RoomLimits(10, 10);
        await stores.Rooms.CreateAsync("chat", "general", "alice", limits);
        var message = new OutgoingMessage("chat", "alice", DeliveryTarget.ToRooms(["general"]), Text: "hi", SenderMustBeMember: true, Key: "k-1");

        await RedisStores.AssertUnavailableAsync(() => stores.Delivery.AppendAsync(message), TimeSpan.FromSeconds(2));
        await RedisStores.AssertUnavailableAsync(() => stores.Delivery.AppendAsync(message), TimeSpan.FromSeconds(2));

        Assert.Equal(["hi"], (await stores.Delivery.GetHistoryAsync("chat", DeliveryScope.Room("general"), null, 10)).Select(e => e.Text));
    }

    private async Task<StoreSet> StoresAsync(RedisOptions? settings = null)
    {
        var options = settings ?? new RedisOptions();
        options.Configuration = server.ConnectionString;
        options.Prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        var connection = new RedisStoreConnection(Options.Create(options), NullLoggerFactory.Instance);
        await RedisStores.WaitUntilConnectedAsync(connection);
        var monitor = new RedisSubscriptionMonitor(connection, Options.Create(options), TimeProvider.System, NullLogger<RedisSubscriptionMonitor>.Instance);
        return new StoreSet(new RedisRoomStore(connection, TimeProvider.System),
            new RedisPresenceStore(connection, new NodeIdentity(), new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance)),
            new RedisDeliveryStore(connection, monitor, new RedisDataLoss(), Options.Create(new DeliveryOptions()), Options.Create(options), TimeProvider.System),
            new RedisReadStateStore(connection),
            connection);
    }

    private sealed class NoPresenceListener : Hub.Server.Presence.IPresenceListener
    {
        public Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task UserCameOnlineAsync(string ns, string user, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
