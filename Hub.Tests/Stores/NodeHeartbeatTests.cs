using System.Collections.Concurrent;
using Hub.Server.Presence;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Stores;

/// <summary>Node liveness in cluster mode: a dead node's connections are reaped from presence.</summary>
public sealed class NodeHeartbeatTests(NodeHeartbeatTests.Server server) : IClassFixture<NodeHeartbeatTests.Server>
{
    /// <summary>One redis-server for the class.</summary>
    public sealed class Server : RedisServerFixture;

    private sealed class Listener : IPresenceListener
    {
        public ConcurrentQueue<(string Ns, string User)> Offline { get; } = new();

        public Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default)
        {
            Offline.Enqueue((ns, user));
            return Task.CompletedTask;
        }

        public Task UserCameOnlineAsync(string ns, string user, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    [Fact]
    public async Task Connections_of_a_node_whose_heartbeat_expired_are_reaped_and_their_users_announced_offline()
    {
        var prefix = "n" + Guid.NewGuid().ToString("N")[..8];
        await using var redis = new RedisStoreConnection(Options.Create(new RedisOptions { Configuration = server.ConnectionString, Prefix = prefix }),
            NullLoggerFactory.Instance);
        var listener = new Listener();
        var (dyingNode, survivorNode) = (new NodeIdentity(), new NodeIdentity());
        NodeHeartbeat HeartbeatOf(NodeIdentity node, PresenceRemovalQueue removals) => new(redis, node, listener, NoLiveConnections.Instance, removals,
            new RedisDataLoss(), Options.Create(new RedisOptions()), TimeProvider.System, NullLogger<NodeHeartbeat>.Instance);
        var (dyingRemovals, survivorRemovals) = (new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance),
            new PresenceRemovalQueue(NullLogger<PresenceRemovalQueue>.Instance));
        var dying = HeartbeatOf(dyingNode, dyingRemovals);
        var survivor = HeartbeatOf(survivorNode, survivorRemovals);
        var dyingPresence = new RedisPresenceStore(redis, dyingNode, dyingRemovals);
        var survivorPresence = new RedisPresenceStore(redis, survivorNode, survivorRemovals);
        await dying.BeatAndReapAsync();
        await survivor.BeatAndReapAsync();
        await dyingPresence.AddConnectionAsync("chat", "bob", "b-on-dying");
        await dyingPresence.AddConnectionAsync("chat", "carol", "c-on-dying");
        await survivorPresence.AddConnectionAsync("chat", "carol", "c-on-survivor");

        // A live node is left alone.
        await survivor.BeatAndReapAsync();
        Assert.Empty(listener.Offline);
        Assert.Equal([true, true], await survivorPresence.AreOnlineAsync("chat", ["bob", "carol"]));

        // The dying node's heartbeat expires (what a SIGKILL leads to): the survivor reaps it.
        await redis.RunAsync(db => db.KeyDeleteAsync(redis.Keys.Node(dyingNode.Id)));
        await survivor.BeatAndReapAsync();

        Assert.Equal([("chat", "bob")], listener.Offline);
        Assert.Equal([false, true], await survivorPresence.AreOnlineAsync("chat", ["bob", "carol"]));
        Assert.Empty(await survivorPresence.GetConnectionsAsync("chat", "bob"));
        Assert.Equal(["c-on-survivor"], await survivorPresence.GetConnectionsAsync("chat", "carol"));

        // Reaping is done once.
        await survivor.BeatAndReapAsync();
        Assert.Single(listener.Offline);
    }
}
