using Hub.Client;
using Hub.Server.Presence;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Cluster;

/// <summary>The bounds that the Redis stores count hold across nodes, not per node.</summary>
public sealed class ClusterLimitsTests(ClusterLimitsTests.Redis redis) : IClassFixture<ClusterLimitsTests.Redis>
{
    /// <summary>One redis-server for the class; every test uses its own key prefix.</summary>
    public sealed class Redis : RedisServerFixture;

    [Fact]
    public async Task The_connection_limit_counts_a_users_connections_on_every_node()
    {
        await using var nodes = await RedisNodes.StartAsync(redis, 2, new Dictionary<string, string?> { ["Limits:MaxConnectionsPerUser"] = "1" });
        await using var onA = await nodes[0].ChatAsync("alice");
        await onA.WaitForResumeAsync();

        var closed = await nodes[1].ConnectChatExpectingCloseAsync("alice");

        Assert.Contains("at most 1 connections to this namespace", closed.Message);
        var presence = nodes[1].Services.GetRequiredService<IPresenceStore>();
        Assert.Single(await presence.GetConnectionsAsync("chat", "alice"));
        await using var bobOnB = await nodes[1].ChatAsync("bob");
        await bobOnB.WaitForResumeAsync();
    }

    [Fact]
    public async Task Owned_and_namespace_room_bounds_hold_across_nodes()
    {
        await using var nodes = await RedisNodes.StartAsync(redis, 2, new Dictionary<string, string?>
        {
            ["Limits:MaxOwnedRoomsPerUser"] = "1",
            ["Limits:MaxRoomsPerNamespace"] = "2",
        });
        await using var aliceOnA = await nodes[0].ChatAsync("alice");
        await using var aliceOnB = await nodes[1].ChatAsync("alice");
        await using var bobOnB = await nodes[1].ChatAsync("bob");
        await using var carolOnA = await nodes[0].ChatAsync("carol");
        await aliceOnA.Client.CreateRoomAsync("one");

        var owned = await Assert.ThrowsAsync<HubInvocationException>(() => aliceOnB.Client.CreateRoomAsync("two"));
        Assert.Contains("own the maximum of 1 rooms", owned.Message);
        await bobOnB.Client.CreateRoomAsync("two");
        var full = await Assert.ThrowsAsync<HubInvocationException>(() => carolOnA.Client.CreateRoomAsync("three"));
        Assert.Contains("maximum of 2 rooms (Limits:MaxRoomsPerNamespace)", full.Message);
        Assert.Equal(["one", "two"], (await carolOnA.Client.ListRoomsPageAsync(null, 10)).Rooms.Select(r => r.Name));
    }
}
