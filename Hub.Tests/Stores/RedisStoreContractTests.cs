using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Stores;

/// <summary>The store contract, run against the Redis stores and a real redis-server started for this class.</summary>
public sealed class RedisStoreContractTests(RedisStoreContractTests.Server server) : StoreContractTests, IClassFixture<RedisStoreContractTests.Server>
{
    /// <summary>One redis-server for the class; each test uses its own namespace, so tests do not see each other's keys.</summary>
    public sealed class Server : RedisServerFixture;

    protected override async Task<TimeSpan?> SendKeyLifetimeAsync(StoreSet stores, string ns, string user, string key)
    {
        var connection = (RedisStoreConnection)stores.Owner!;
        return await connection.RunAsync(db => db.KeyTimeToLiveAsync(connection.Keys.SendKey(ns, user, key)));
    }

    [Fact]
    public async Task Rooms_recorded_before_the_room_index_are_listed_and_counted_after_an_upgrade()
    {
        var s = await CreateStoresAsync(new DeliveryOptions(), Time);
        await using var _ = s;
        var connection = (RedisStoreConnection)s.Owner!;
        var keys = connection.Keys;
        // What an earlier version wrote for two rooms, plus a stale name whose room was deleted.
        await connection.RunAsync(db => db.HashSetAsync(keys.Room(Ns, "old1"), [new("owner", "alice"), new("created", "1700000000000"), new("seq", "0")]));
        await connection.RunAsync(db => db.HashSetAsync(keys.Room(Ns, "old2"), [new("owner", "bob"), new("created", "1700000000000"), new("seq", "0")]));
        await connection.RunAsync(db => db.SetAddAsync(keys.Base(Ns) + "rooms", ["old1", "old2", "gone"]));
        var limits = new Hub.Server.Rooms.RoomLimits(100, 100, MaxOwnedRoomsPerUser: 1, MaxRoomsPerNamespace: 3);

        Assert.Equal(["old1", "old2"], (await s.Rooms.ListAsync(Ns, null, 10)).Rooms.Select(r => r.Name));
        var owned = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "new1", "alice", limits));
        Assert.Contains("own the maximum of 1 rooms", owned.Message);
        await s.Rooms.CreateAsync(Ns, "new1", "carol", limits);
        Assert.Contains("maximum of 3 rooms", (await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "new2", "dave", limits))).Message);
    }

    protected override async Task<StoreSet> CreateStoresAsync(DeliveryOptions options, TimeProvider time)
    {
        var connection = new RedisStoreConnection(
            Options.Create(new RedisOptions { Configuration = server.ConnectionString, Prefix = "contract" }), NullLoggerFactory.Instance);
        await Poll.UntilAsync(() => connection.IsConnected, "the store connection is up");
        var monitor = new RedisSubscriptionMonitor(connection, Options.Create(new RedisOptions()), time, NullLogger<RedisSubscriptionMonitor>.Instance);
        return new StoreSet(
            new RedisRoomStore(connection, time),
            new RedisPresenceStore(connection, new NodeIdentity(), new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance)),
            new RedisDeliveryStore(connection, monitor, new RedisDataLoss(), Options.Create(options), time),
            connection);
    }
}
