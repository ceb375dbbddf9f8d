using System.Net;
using System.Text;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// Two or three Hub nodes sharing one Redis: everything a user can do crosses nodes. Run on one redis-server
/// (<see cref="RedisClusterTests"/>) and on a Redis Cluster of three masters and three replicas
/// (<see cref="RedisClusterModeTests"/>), where a room, its members and a conversation live in different slots.
/// </summary>
public abstract partial class CrossNodeTests
{
    /// <summary>The StackExchange.Redis configuration of the Redis the nodes share.</summary>
    protected abstract string RedisConfiguration { get; }

    [Fact]
    public async Task Members_on_three_nodes_see_a_busy_room_in_one_order()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 3);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await using var carol = await cluster[2].ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await carol.Client.JoinRoomAsync("general");

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await alice.Client.SendToRoomAsync("general", $"a{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await bob.Client.SendToRoomAsync("general", $"b{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await carol.Client.SendToRoomAsync("general", $"c{i}"); } }));

        foreach (var user in new[] { alice, bob, carol })
        {
            await user.WaitForAsync(u => u.Messages.Count == 120, "for 120 room messages");
        }
        Assert.Equal(alice.Messages.Select(m => m.Id), bob.Messages.Select(m => m.Id));
        Assert.Equal(alice.Messages.Select(m => m.Id), carol.Messages.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (long)i), carol.Messages.Select(m => m.Seq!.Value));
    }

    [Fact]
    public async Task Direct_messages_broadcasts_and_notifications_cross_nodes()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await using var bobNotifications = await cluster[1].NotificationsAsync("bob");

        await alice.Client.SendToUserAsync("bob", "psst");
        await alice.Client.BroadcastAsync("hear ye");
        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = new StringContent("""{"to":{"user":"bob"},"type":"ping"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);
        var response = await cluster[0].Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await bob.WaitForMessageAsync("psst");
        await bob.WaitForMessageAsync("hear ye");
        await bobNotifications.WaitForAsync(u => u.Messages.Any(m => m.Type == "ping"), "for the notification");
    }

    [Fact]
    public async Task A_send_whose_answer_was_lost_on_one_node_is_retried_on_another_with_its_key_and_delivered_once()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await Hubs.IdempotentSendTests.LostAnswerIsRetriedWithItsKeyAsync(cluster[0], cluster[1]);
    }

    [Fact]
    public async Task Joins_leaves_and_presence_cross_nodes()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        var bob = await cluster[1].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");

        await bob.Client.JoinRoomAsync("general");
        await alice.WaitForEventAsync("joined:general:bob");
        await bob.Client.StopAsync();
        await alice.WaitForEventAsync("presence:general:bob:offline");
        await bob.DisposeAsync();

        await using var bobOnA = await cluster[0].ChatAsync("bob");
        await alice.WaitForEventAsync("presence:general:bob:online");
        await bobOnA.Client.LeaveRoomAsync("general");
        await alice.WaitForEventAsync("left:general:bob");
    }

    [Fact]
    public async Task A_room_join_on_one_node_adds_the_users_connection_on_another_node_to_the_group()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bobLaptop = await cluster[0].ChatAsync("bob");
        await using var bobPhone = await cluster[1].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");

        await bobLaptop.Client.JoinRoomAsync("general");
        await alice.Client.LeaveRoomAsync("general");

        // The room event reaches bob's phone on node B through the group its connection was added to from node A.
        await bobPhone.WaitForEventAsync("left:general:alice");
    }

    [Fact]
    public async Task A_user_who_leaves_node_A_and_comes_back_on_node_B_gets_everything_missed_in_order_once()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        var bobOnA = await cluster[0].ChatAsync("bob", o => o.AutoAck = false);
        await alice.Client.CreateRoomAsync("general");
        await bobOnA.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "seen on A");
        await bobOnA.WaitForMessageAsync("seen on A");
        await bobOnA.Client.StopAsync();
        await bobOnA.DisposeAsync();

        for (var i = 0; i < 30; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"missed {i}");
        }
        await using var bobOnB = await cluster[1].ChatAsync("bob", o => { o.Deduplicate = false; o.AutoAck = false; });

        var resumed = await bobOnB.WaitForResumeAsync();
        Assert.Equal(31, resumed.Redelivered);
        Assert.Equal(["seen on A", .. Enumerable.Range(0, 30).Select(i => $"missed {i}")], bobOnB.Messages.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), bobOnB.Messages.Select(m => m.Seq!.Value));
        Assert.True(resumed.Recovered);
    }
}
