using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Stores;

/// <summary>
/// The store contract run against the Redis stores, wired as the node wires them, on whatever Redis
/// <see cref="Configuration"/> names: one redis-server (<see cref="RedisStoreContractTests"/>) or a Redis Cluster
/// (<see cref="RedisClusterStoreContractTests"/>). Each test uses its own namespace, so tests do not see each other's keys.
/// </summary>
public abstract class RedisBackedStoreContractTests : StoreContractTests
{
    /// <summary>The StackExchange.Redis configuration of the Redis under test.</summary>
    protected abstract string Configuration { get; }

    // The record lives in the partition of what the send wrote to: whichever partition has it.
    protected override async Task<TimeSpan?> SendKeyLifetimeAsync(StoreSet stores, string ns, string user, string key)
    {
        var connection = (RedisStoreConnection)stores.Owner!;
        var keys = connection.Keys;
        var lifetimes = await connection.RunAsync(db => Task.WhenAll(Enumerable.Range(0, keys.Partitions).Select(p => db.KeyTimeToLiveAsync(keys.SendKey(ns, p, user, key)))));
        return lifetimes.FirstOrDefault(t => t is not null);
    }

    protected override async Task<StoreSet> CreateStoresAsync(DeliveryOptions options, TimeProvider time)
    {
        var connection = new RedisStoreConnection(
            Options.Create(new RedisOptions { Configuration = Configuration, Prefix = "contract" }), NullLoggerFactory.Instance);
        await Poll.UntilAsync(() => connection.IsConnected, "the store connection is up");
        var monitor = new RedisSubscriptionMonitor(connection, Options.Create(new RedisOptions()), time, NullLogger<RedisSubscriptionMonitor>.Instance);
        return new StoreSet(
            new RedisRoomStore(connection, time),
            new RedisPresenceStore(connection, new NodeIdentity(), new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance)),
            new RedisDeliveryStore(connection, monitor, new RedisDataLoss(), Options.Create(options), Options.Create(new RedisOptions()), time),
            new RedisReadStateStore(connection),
            connection);
    }
}
