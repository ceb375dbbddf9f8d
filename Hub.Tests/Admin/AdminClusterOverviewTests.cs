using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Admin;

/// <summary>The overview of a two-node cluster on a real redis-server, asked of either node.</summary>
public sealed class AdminClusterOverviewTests(AdminClusterOverviewTests.Redis redis) : IClassFixture<AdminClusterOverviewTests.Redis>
{
    /// <summary>One redis-server for the class; every test uses its own key prefix.</summary>
    public sealed class Redis : RedisServerFixture;

    [Fact]
    public async Task Both_nodes_are_listed_with_their_connections_and_the_cluster_totals_sum_both_nodes_samples()
    {
        await using var cluster = await RedisNodes.StartAsync(redis, 2, AdminApi.Settings());
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await using var dave = await cluster[1].ChatAsync("dave");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await using (var carol = await cluster[0].ChatAsync("carol"))
        {
            await carol.Client.JoinRoomAsync("general");
        }
        await alice.Client.SendToRoomAsync("general", "from node A");
        await bob.Client.SendToRoomAsync("general", "from node B");
        await alice.WaitForMessageAsync("from node B");

        var overview = await AdminApi.WaitForAsync(cluster[1], o =>
            o.Nodes.Count == 2 && o.Nodes.Sum(n => n.Connections["chat"]) == 3 && o.Throughput.Samples.Sum(s => s.Stored) == 2
            && o.Namespaces.Single(n => n.Name == "chat").DeepestQueues.Contains(new("carol", 2)),
            "both nodes with their connections, both sends in the totals and carol's queue");

        Assert.Equal("cluster", overview.Mode);
        var ids = cluster.Nodes.Select(n => n.Services.GetRequiredService<Hub.Server.Storage.Redis.NodeIdentity>().Id).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), overview.Nodes.Select(n => n.Id));
        Assert.Equal(1, overview.Nodes.Single(n => n.Id == ids[0]).Connections["chat"]);
        Assert.Equal(2, overview.Nodes.Single(n => n.Id == ids[1]).Connections["chat"]);
        Assert.All(overview.Nodes, n => Assert.InRange(n.HeartbeatAgeSeconds, 0, 15));
        Assert.Equal(ids[1], overview.Node);
        var room = Assert.Single(overview.Namespaces.Single(n => n.Name == "chat").Rooms);
        Assert.Equal(("general", 3, 2L), (room.Name, room.Members, room.LastSeq));
        Assert.True(overview.Store is { Kind: "redis", Reachable: true, RoundTripMs: >= 0, UsedMemoryBytes: > 0, ConnectedClients: >= 2 },
            $"Redis health: {overview.Store}");
    }
}
