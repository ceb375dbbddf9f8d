using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>Every way of sending on the chat namespace, and the order members see.</summary>
public sealed class ChatMessagingTests
{
    [Fact]
    public async Task A_room_message_reaches_every_member_with_its_sender_room_and_sequence()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "hello");

        var received = await bob.WaitForMessageAsync("hello");
        Assert.Equal((sent.Id, "chat", "general", "alice", 1L, false), (received.Id, received.Ns, received.Room, received.From, received.Seq!.Value, received.Redelivered));
        Assert.Equal(sent.SentAt, received.SentAt);
        await alice.WaitForMessageAsync("hello");
        await carol.Client.BroadcastAsync("marker");
        await bob.WaitForMessageAsync("marker");
        Assert.DoesNotContain(carol.Messages, m => m.Text == "hello");
    }

    [Fact]
    public async Task Members_see_a_busy_room_in_one_order_with_consecutive_sequence_numbers()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 50; i++) { await alice.Client.SendToRoomAsync("general", $"a{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 50; i++) { await bob.Client.SendToRoomAsync("general", $"b{i}"); } }));

        await alice.WaitForAsync(u => u.Messages.Count == 100);
        await bob.WaitForAsync(u => u.Messages.Count == 100);
        Assert.Equal(alice.Messages.Select(m => m.Id), bob.Messages.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), bob.Messages.Select(m => m.Seq!.Value));
    }

    [Fact]
    public async Task A_message_to_several_rooms_reaches_a_member_of_two_of_them_twice_once_as_each_rooms_message()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("a");
        await alice.Client.CreateRoomAsync("b");
        await bob.Client.JoinRoomAsync("a");
        await bob.Client.JoinRoomAsync("b");
        await carol.Client.JoinRoomAsync("b");
        await alice.Client.SendToRoomAsync("b", "first in b");

        var sent = await alice.Client.SendToRoomsAsync(["a", "b"], "both");
        await alice.Client.SendToRoomAsync("a", "after");

        // Each room stores it as its own message, numbered in that room: a member of both gets one copy per room, with
        // its own id (acknowledging one does not acknowledge the other), and the result is the first room's.
        await bob.WaitForMessageAsync("after");
        var both = bob.Messages.Where(m => m.Text == "both").OrderBy(m => m.Room, StringComparer.Ordinal).ToList();
        Assert.Equal([("a", 1L), ("b", 2L)], both.Select(m => (m.Room!, m.Seq!.Value)));
        Assert.Equal(2, both.Select(m => m.Id).Distinct().Count());
        Assert.Equal(sent.Id, both[0].Id);
        Assert.Equal(2L, bob.Messages.Single(m => m.Text == "after").Seq);
        var toCarol = await carol.WaitForMessageAsync("both");
        Assert.Equal(("b", 2L), (toCarol.Room, toCarol.Seq));
        Assert.Single(carol.Messages, m => m.Text == "both");
    }

    [Fact]
    public async Task A_direct_message_reaches_the_addressee_and_the_senders_other_connections()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var alicePhone = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");

        await alice.Client.SendToUserAsync("bob", "psst");

        var received = await bob.WaitForMessageAsync("psst");
        Assert.Equal(("alice", "bob", (string?)null), (received.From, received.To, received.Room));
        await alicePhone.WaitForMessageAsync("psst");
    }

    [Fact]
    public async Task A_broadcast_reaches_every_other_online_user_but_not_the_sender()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");

        await alice.Client.BroadcastAsync("hear ye");
        await bob.Client.SendToUserAsync("alice", "marker");

        await bob.WaitForMessageAsync("hear ye");
        await carol.WaitForMessageAsync("hear ye");
        await alice.WaitForMessageAsync("marker");
        Assert.DoesNotContain(alice.Messages, m => m.Text == "hear ye");
    }

    [Fact]
    public async Task Two_connections_of_one_user_both_receive_and_presence_lasts_until_the_last_closes()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        var bobLaptop = await host.ChatAsync("bob");
        await using var bobPhone = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bobLaptop.Client.JoinRoomAsync("general");

        await alice.Client.SendToRoomAsync("general", "to both");
        await bobLaptop.WaitForMessageAsync("to both");
        await bobPhone.WaitForMessageAsync("to both");

        await bobLaptop.DisposeAsync();
        await alice.Client.SendToRoomAsync("general", "marker");
        await bobPhone.WaitForMessageAsync("marker");
        Assert.DoesNotContain("presence:general:bob:offline", alice.Events);
        Assert.True((await alice.Client.GetMembersAsync("general")).Single(m => m.User == "bob").Online);

        await bobPhone.Client.StopAsync();
        await alice.WaitForEventAsync("presence:general:bob:offline");
    }

    [Fact]
    public async Task History_returns_a_rooms_messages_newest_last_and_pages_backwards()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        for (var i = 0; i < 5; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }

        var latest = await alice.Client.GetHistoryAsync("general", null, 3);
        var older = await alice.Client.GetHistoryAsync("general", latest[0].Id, 10);

        Assert.Equal(["m2", "m3", "m4"], latest.Select(m => m.Text));
        Assert.Equal(["m0", "m1"], older.Select(m => m.Text));
    }
}
