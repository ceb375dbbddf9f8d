using System.Net;
using System.Net.Http.Json;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Admin;

/// <summary><c>GET /admin/api/overview</c> in embedded mode: who may read it, and what it shows after real traffic.</summary>
public sealed class AdminOverviewTests
{
    [Fact]
    public async Task Without_the_key_with_a_wrong_key_or_with_a_users_token_the_overview_answers_401_with_an_error()
    {
        await using var host = await HubTestHost.StartAsync(AdminApi.Settings());
        var userToken = await host.TokenAsync("alice");

        foreach (var response in new[]
        {
            await AdminApi.RequestAsync(host),
            await AdminApi.RequestAsync(host, key: "admin-test-key-0123456789-wrong"),
            await AdminApi.RequestAsync(host, bearer: userToken),
            await AdminApi.RequestAsync(host, bearer: AdminApi.Token("mallory", "moderator")),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
            Assert.Contains("Operators only", body!["error"]);
        }
        Assert.Equal(HttpStatusCode.OK, (await AdminApi.RequestAsync(host, key: AdminApi.Key)).StatusCode);
    }

    [Fact]
    public async Task With_no_operator_key_configured_no_key_opens_it_but_a_token_with_the_admin_role_does()
    {
        var settings = AdminApi.Settings();
        settings.Remove("Admin:ApiKey");
        await using var host = await HubTestHost.StartAsync(settings);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminApi.RequestAsync(host, key: "")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminApi.RequestAsync(host, key: AdminApi.Key)).StatusCode);
        using var admin = await AdminApi.RequestAsync(host, bearer: AdminApi.Token("ops", "admin"));
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("no-store", admin.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task After_real_traffic_it_shows_the_node_its_connections_the_room_its_rate_the_deepest_queue_and_the_throughput()
    {
        await using var host = await HubTestHost.StartAsync(AdminApi.Settings());
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await AdminApi.RoomWithAnOfflineMemberAsync(host, alice, bob, sends: 3);

        var first = await AdminApi.WaitForAsync(host, o => o.Nodes.Count == 1 && o.Nodes[0].Connections["chat"] == 2
            && o.Namespaces.Single(n => n.Name == "chat").DeepestQueues.Contains(new("carol", 3)), "the node's connections and carol's queue");
        Assert.Equal("embedded", first.Mode);
        Assert.Equal(new("embedded", Reachable: true), first.Store);
        var chat = first.Namespaces.Single(n => n.Name == "chat");
        Assert.Equal(2, chat.Connections);
        Assert.Equal(1, chat.RoomCount);
        var room = Assert.Single(chat.Rooms);
        Assert.Equal(("general", 3, 3L), (room.Name, room.Members, room.LastSeq));

        await alice.Client.SendToRoomAsync("general", "m3");
        var later = await AdminApi.WaitForAsync(host, o => o.Namespaces.Single(n => n.Name == "chat").Rooms.Single().MessagesPerMinute > 0
            && o.Throughput.Samples.Sum(s => s.Stored) == 4 && o.Throughput.Samples.Sum(s => s.Delivered) >= 4
            && o.Throughput.Samples.Sum(s => s.Resumes) >= 3, "a room rate and the four sends in the samples");
        Assert.Equal(4, later.Namespaces.Single(n => n.Name == "chat").Rooms.Single().LastSeq);
        Assert.Contains(new("carol", 4), later.Namespaces.Single(n => n.Name == "chat").DeepestQueues);
        Assert.Equal(1, later.Throughput.IntervalSeconds);
    }

    [Fact]
    public async Task Every_scan_is_capped_by_its_option()
    {
        var settings = AdminApi.Settings();
        settings["Admin:MaxRoomsScanned"] = "2";
        settings["Admin:TopRooms"] = "1";
        settings["Admin:MaxQueuesScanned"] = "1";
        await using var host = await HubTestHost.StartAsync(settings);
        await using var alice = await host.ChatAsync("alice");
        foreach (var name in new[] { "a1", "a2", "a3" })
        {
            await alice.Client.CreateRoomAsync(name);
        }
        await using (var bob = await host.ChatAsync("bob"))
        {
        }

        var chat = (await AdminApi.GetAsync(host)).Namespaces.Single(n => n.Name == "chat");

        Assert.Equal((3L, 2, 1, 1), (chat.RoomCount, chat.RoomsScanned, chat.Rooms.Count, chat.UsersScanned));
    }
}
