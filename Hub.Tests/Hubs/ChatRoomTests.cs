using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>Rooms, membership and room events on the chat namespace, over real WebSockets.</summary>
public sealed class ChatRoomTests
{
    [Fact]
    public async Task Creating_joining_listing_and_getting_members_return_the_room_state()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");

        var created = await alice.Client.CreateRoomAsync("general");
        var joined = await bob.Client.JoinRoomAsync("general");

        Assert.Equal(("general", "alice"), (created.Name, created.Owner));
        Assert.Equal("general", joined.Room);
        Assert.Equal([("alice", true), ("bob", true)], joined.Members.Select(m => (m.User, m.Online)));
        Assert.Equal(["general"], (await bob.Client.ListRoomsAsync()).Select(r => r.Name));
        Assert.Equal(["alice", "bob"], (await alice.Client.GetMembersAsync("general")).Select(m => m.User));
        await alice.WaitForEventAsync("joined:general:bob");
    }

    [Fact]
    public async Task Members_see_joins_leaves_and_presence_changes_of_other_members()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.WaitForEventAsync("joined:general:bob");

        await bob.Client.StopAsync();
        await alice.WaitForEventAsync("presence:general:bob:offline");
        Assert.Equal([("alice", true), ("bob", false)], (await alice.Client.GetMembersAsync("general")).Select(m => (m.User, m.Online)));

        await using var bobAgain = await host.ChatAsync("bob");
        await alice.WaitForEventAsync("presence:general:bob:online");
        await bobAgain.Client.LeaveRoomAsync("general");
        await alice.WaitForEventAsync("left:general:bob");
        Assert.Equal(["alice"], (await alice.Client.GetMembersAsync("general")).Select(m => m.User));
    }

    [Fact]
    public async Task Membership_outlives_the_connection_so_a_returning_member_gets_room_messages_again()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await bob.DisposeAsync();

        await using var bobAgain = await host.ChatAsync("bob");
        await bobAgain.WaitForResumeAsync();
        await alice.Client.SendToRoomAsync("general", "welcome back");

        var received = await bobAgain.WaitForMessageAsync("welcome back");
        Assert.False(received.Redelivered);
    }

    [Fact]
    public async Task Deleting_a_room_tells_its_members_and_removes_it()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        await alice.Client.DeleteRoomAsync("general");

        await bob.WaitForEventAsync("deleted:general");
        Assert.Empty(await bob.Client.ListRoomsAsync());
        var error = await Assert.ThrowsAsync<Hub.Client.HubInvocationException>(() => bob.Client.SendToRoomAsync("general", "anyone?"));
        Assert.Contains("Room 'general' does not exist.", error.Message);
    }

    [Fact]
    public async Task The_same_room_name_on_chat_and_notifications_is_two_rooms()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var chat = await host.ChatAsync("alice");
        await using var notifications = await host.NotificationsAsync("bob");

        await chat.Client.CreateRoomAsync("news");
        await notifications.Client.JoinRoomAsync("news");

        Assert.Equal(["alice"], (await chat.Client.GetMembersAsync("news")).Select(m => m.User));
        Assert.Equal(["bob"], (await notifications.Client.GetMembersAsync("news")).Select(m => m.User));
    }
}
