using Hub.Client;
using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Hub.Server.Presence;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Hubs;

/// <summary>Limits hold per user, whatever number of connections the user opens; bounds refuse clearly.</summary>
public sealed class LimitsTests
{
    private static async Task<string> RefusedAsync(Func<Task> call) => (await Assert.ThrowsAsync<HubInvocationException>(call)).Message;

    [Fact]
    public async Task The_send_rate_is_shared_by_all_connections_of_a_user_and_reconnecting_does_not_refill_it()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:SendsPerSecond"] = "1",
            ["Limits:SendBurst"] = "3",
        }, time);
        // Direct messages go only to users the namespace knows: bob connects once first.
        await using var bob = await host.ChatAsync("bob");
        await bob.WaitForResumeAsync();
        await using var first = await host.ChatAsync("alice");
        await using var second = await host.ChatAsync("alice");

        await first.Client.SendToUserAsync("bob", "one");
        await second.Client.SendToUserAsync("bob", "two");
        await second.DisposeAsync();
        await using var third = await host.ChatAsync("alice");
        await third.Client.SendToUserAsync("bob", "three");

        var refused = await RefusedAsync(() => third.Client.SendToUserAsync("bob", "four"));
        Assert.Contains("Rate limit exceeded: at most 1 messages per second (bursts of 3) per user; retry after 1 s.", refused);
        Assert.Contains("retry after 1 s", await RefusedAsync(() => first.Client.SendToUserAsync("bob", "four")));

        // Another user is not affected.
        await using var carol = await host.ChatAsync("carol");
        await carol.Client.SendToUserAsync("bob", "from carol");

        time.Advance(TimeSpan.FromSeconds(1));
        await first.Client.SendToUserAsync("bob", "five");
    }

    [Fact]
    public async Task Room_changes_are_rate_limited_per_user_so_join_leave_cycles_cannot_flood_members()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:RoomChangesPerSecond"] = "0.5",
            ["Limits:RoomChangeBurst"] = "4",
        }, time);
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");

        await bob.Client.JoinRoomAsync("general");
        await bob.Client.LeaveRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await bob.Client.LeaveRoomAsync("general");
        var refused = await RefusedAsync(() => bob.Client.JoinRoomAsync("general"));

        Assert.Contains("Rate limit exceeded: at most 0.5 room changes per second (bursts of 4) per user; retry after 2 s.", refused);
        Assert.Contains("room changes", await RefusedAsync(() => bob.Client.CreateRoomAsync("other")));
        await alice.WaitForAsync(u => u.Events.Count(e => e == "left:general:bob") == 2, "for bob's second leave");
        Assert.Equal(2, alice.Events.Count(e => e == "joined:general:bob"));
        // Alice's own budget is separate: she spent one token on CreateRoom.
        await alice.Client.DeleteRoomAsync("general");

        time.Advance(TimeSpan.FromSeconds(2));
        await bob.Client.CreateRoomAsync("other");
    }

    [Fact]
    public async Task Reads_are_rate_limited_per_user()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:ReadsPerSecond"] = "1",
            ["Limits:ReadBurst"] = "3",
        }, time);
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");

        await alice.Client.ListRoomsAsync();
        await alice.Client.GetMembersAsync("general");
        await alice.Client.GetHistoryAsync("general", null, 10);

        Assert.Contains("at most 1 reads per second (bursts of 3) per user; retry after 1 s.", await RefusedAsync(() => alice.Client.ListRoomsPageAsync(null, 10)));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["general"], (await alice.Client.ListRoomsPageAsync(null, 10)).Rooms.Select(r => r.Name));
    }

    [Fact]
    public async Task A_new_user_past_the_namespace_user_limit_is_closed_with_the_reason_and_known_users_still_connect()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxUsersPerNamespace"] = "2" });
        await using (var alice = await host.ChatAsync("alice"))
        {
            await alice.WaitForResumeAsync();
        }
        await using var bob = await host.ChatAsync("bob");
        await bob.WaitForResumeAsync();

        var closed = await host.ConnectChatExpectingCloseAsync("carol");

        Assert.Contains("HubException: This namespace already has its maximum of 2 users (Limits:MaxUsersPerNamespace)", closed.Message);
        Assert.Equal(HubErrorCodes.NamespaceFull, Assert.IsType<HubConnectionClosedException>(closed).ErrorCode);
        var presence = host.Services.GetRequiredService<IPresenceStore>();
        Assert.Empty(await presence.GetConnectionsAsync("chat", "carol"));
        // alice is known (offline): she comes back, and a direct message to carol is refused as to any unknown name.
        await using var aliceAgain = await host.ChatAsync("alice");
        await aliceAgain.WaitForResumeAsync();
        Assert.Contains("User 'carol' does not exist.", (await Assert.ThrowsAsync<HubInvocationException>(() => bob.Client.SendToUserAsync("carol", "hi"))).Message);
    }

    [Fact]
    public async Task A_connection_past_the_per_user_limit_is_closed_with_the_reason_and_leaves_no_registration()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxConnectionsPerUser"] = "2" });
        await using var first = await host.ChatAsync("alice");
        await using var second = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        var presence = host.Services.GetRequiredService<IPresenceStore>();
        var dispatcher = host.Services.GetRequiredService<DeliveryDispatcher<ChatHub>>();
        var before = (await presence.GetConnectionsAsync("chat", "alice")).Order().ToList();

        var closed = await host.ConnectChatExpectingCloseAsync("alice");

        Assert.Contains("HubException: Too many connections: a user may have at most 2 connections to this namespace (Limits:MaxConnectionsPerUser)", closed.Message);
        Assert.False(Assert.IsType<HubConnectionClosedException>(closed).AllowReconnect);
        Assert.Equal(HubErrorCodes.TooManyConnections, ((HubConnectionClosedException)closed).ErrorCode);
        Assert.Equal(before, (await presence.GetConnectionsAsync("chat", "alice")).Order());
        Assert.Equal(3, dispatcher.ConnectionCount);
        // Nothing was announced: alice never went offline or online again.
        await bob.Client.SendToUserAsync("alice", "still here");
        await first.WaitForMessageAsync("still here");

        await second.Client.StopAsync();
        await Poll.UntilAsync(async ct => (await presence.GetConnectionsAsync("chat", "alice", ct)).Count == 1, "alice's second connection is gone");
        await using var third = await host.ChatAsync("alice");
        await third.WaitForResumeAsync();
    }

    [Fact]
    public async Task A_user_owns_a_bounded_number_of_rooms_even_after_leaving_them()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxOwnedRoomsPerUser"] = "2" });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("one");
        await alice.Client.CreateRoomAsync("two");
        await alice.Client.LeaveRoomAsync("one");
        await alice.Client.LeaveRoomAsync("two");

        Assert.Contains("You already own the maximum of 2 rooms (Limits:MaxOwnedRoomsPerUser); delete one first.",
            await RefusedAsync(() => alice.Client.CreateRoomAsync("three")));

        await alice.Client.DeleteRoomAsync("one");
        await alice.Client.CreateRoomAsync("three");
        Assert.Equal(["three", "two"], (await alice.Client.ListRoomsAsync()).Select(r => r.Name));
    }

    [Fact]
    public async Task A_namespace_holds_a_bounded_number_of_rooms_and_topics()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRoomsPerNamespace"] = "2" });
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("one");
        await bob.Client.CreateRoomAsync("two");

        Assert.Contains("This namespace already holds the maximum of 2 rooms (Limits:MaxRoomsPerNamespace)",
            await RefusedAsync(() => bob.Client.CreateRoomAsync("three")));

        // Topics are created by joining: the same bound, per namespace.
        await using var carol = await host.NotificationsAsync("carol");
        await carol.Client.JoinRoomAsync("orders");
        await carol.Client.JoinRoomAsync("billing");
        Assert.Contains("maximum of 2 rooms", await RefusedAsync(() => carol.Client.JoinRoomAsync("shipping")));
    }

    [Fact]
    public async Task Rooms_are_listed_in_pages_and_ListRooms_returns_the_first_page()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxRoomsPage"] = "3" });
        await using var alice = await host.ChatAsync("alice");
        string[] names = ["a1", "b2", "c3", "d4", "e5", "f6", "g7"];
        foreach (var name in names)
        {
            await alice.Client.CreateRoomAsync(name);
        }

        var listed = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await alice.Client.ListRoomsPageAsync(after, 2);
            listed.AddRange(page.Rooms.Select(r => r.Name));
            after = page.Next;
            pages++;
        }
        while (after is not null);

        Assert.Equal(names, listed);
        Assert.Equal(4, pages);
        Assert.Equal(["a1", "b2", "c3"], (await alice.Client.ListRoomsAsync()).Select(r => r.Name));
        Assert.Contains("Room page limit must be between 1 and 3 (Limits:MaxRoomsPage).", await RefusedAsync(() => alice.Client.ListRoomsPageAsync(null, 4)));
        Assert.Contains("Invalid cursor", await RefusedAsync(() => alice.Client.ListRoomsPageAsync("not a name!", 2)));
    }
}
