using Hub.Server.Presence;
using Hub.Server.Storage.Redis;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hub.Tests.Faults;

/// <summary>
/// Presence heals after a fault: each node brings Redis back to the connections it holds at every heartbeat
/// (<c>Redis:NodeTimeout</c> / 3), retrying removals that failed and recording its connections again after it was reaped.
/// </summary>
public sealed class PresenceHealingTests
{
    // A beat every second: the bound presence heals within.
    private const string NodeTimeout = "00:00:03";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task After_a_redis_restart_users_who_left_during_the_outage_are_offline_and_connected_users_online_one_entry_per_connection()
    {
        await using var redis = new RedisServerFixture { Persistent = true };
        await redis.StartAsync();
        await using var cluster = await RedisNodes.StartAsync(redis, 2, new Dictionary<string, string?> { ["Redis:NodeTimeout"] = NodeTimeout });
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        var carol = await cluster[0].ChatAsync("carol");
        var dave = await cluster[1].ChatAsync("dave");
        await alice.Client.CreateRoomAsync("general");
        foreach (var member in new[] { bob, carol, dave })
        {
            await member.Client.JoinRoomAsync("general");
        }

        await redis.StopAsync();
        // carol and dave leave while Redis is down: their nodes cannot remove them from presence now.
        await carol.DisposeAsync();
        await dave.DisposeAsync();
        await Poll.UntilAsync(() => LiveUsers(cluster).Intersect(["carol", "dave"]).Any() is false, "carol's and dave's connections are closed");
        await redis.StartAsync();

        // alice and bob may have reconnected meanwhile (a node closes its connections after an interruption), so
        // Redis must end up with exactly the connections the nodes hold: no more, no fewer.
        await using var inspector = await redis.ConnectInspectorAsync();
        var keys = cluster[0].Services.GetRequiredService<RedisStoreConnection>().Keys;
        // alice and bob held again: a client between its close and its reconnect is in neither place, which matches too.
        await Poll.UntilAsync(async ct => LiveUsers(cluster).IsSupersetOf(["alice", "bob"])
                && await PresenceMatchesAsync(inspector.GetDatabase(), keys, cluster, ["alice", "bob", "carol", "dave"]),
            "presence in Redis matches the nodes' connections", Bound);
        // A node may still close its connections once when it sees the interruption (bob offline until he is back):
        // what the room shows must settle on exactly the connected users within the bound.
        await Poll.UntilAsync(async ct =>
        {
            var members = await alice.RetryWhileClosedAsync(() => alice.Client.GetMembersAsync("general"));
            return members.Where(m => m.Online).Select(m => m.User).Order().SequenceEqual(["alice", "bob"]);
        }, "the room to show alice and bob online and no one else", Bound);
    }

    [Fact]
    public async Task A_node_frozen_past_the_node_timeout_is_reaped_and_its_users_are_online_again_once_it_wakes()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        await using var survivor = await RedisNodes.StartAsync(redis, 1, new Dictionary<string, string?>
        {
            ["Redis:Prefix"] = prefix,
            ["Redis:NodeTimeout"] = NodeTimeout,
        });
        await using var sleeper = await HubServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Redis:Configuration"] = redis.ConnectionString,
            ["Redis:Prefix"] = prefix,
            ["Redis:NodeTimeout"] = NodeTimeout,
            ["Auth:SigningKey"] = HubTestHost.SigningKey,
            ["Auth:DevTokens"] = "true",
        });
        await using var alice = await sleeper.ChatAsync("alice");
        await using var bob = await survivor[0].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        Assert.True((await bob.Client.GetMembersAsync("general")).Single(m => m.User == "alice").Online);

        await sleeper.FreezeAsync();
        try
        {
            // The survivor reaps the silent node: alice goes offline although her connection is still open.
            await bob.WaitForEventAsync("presence:general:alice:offline");
        }
        finally
        {
            await sleeper.ThawAsync();
        }

        await bob.WaitForAsync(u => u.Events.SkipWhile(e => e != "presence:general:alice:offline").Contains("presence:general:alice:online"),
            "for alice to come back online");
        Assert.True((await bob.Client.GetMembersAsync("general")).Single(m => m.User == "alice").Online);
        Assert.DoesNotContain("reconnected", alice.Events); // her first connection is the one recorded again
    }

    private static HashSet<string> LiveUsers(RedisNodes cluster) =>
        [.. cluster.Nodes.SelectMany(n => n.Services.GetRequiredService<ILiveConnections>().Snapshot()).Select(c => c.User)];

    // Whether Redis's presence of these users is exactly the connections the nodes hold: no more, no fewer.
    private static async Task<bool> PresenceMatchesAsync(IDatabase db, RedisKeys keys, RedisNodes cluster, string[] users)
    {
        var live = cluster.Nodes.SelectMany(n => n.Services.GetRequiredService<ILiveConnections>().Snapshot()).Where(c => c.Ns == "chat").ToList();
        foreach (var user in users)
        {
            var recorded = (await db.SetMembersAsync(keys.Connections("chat", user))).Select(v => (string)v!).ToHashSet();
            var held = live.Where(c => c.User == user).Select(c => c.ConnectionId).ToHashSet();
            var online = await db.SetContainsAsync(keys.Online("chat", user), user);
            if (!recorded.SetEquals(held) || online != (held.Count > 0))
            {
                return false;
            }
        }
        return true;
    }
}
