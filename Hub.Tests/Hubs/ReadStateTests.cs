using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>MarkRead, ReadUpTo, MyRooms, GetMembers' read seqs and GetConversation, over real WebSockets.</summary>
public sealed class ReadStateTests
{
    [Fact]
    public async Task Marking_read_tells_the_room_and_every_device_of_the_reader_sees_the_same_unread_count()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var laptop = await host.ChatAsync("bob", o => o.DeviceId = "laptop");
        await using var phone = await host.ChatAsync("bob", o => o.DeviceId = "phone");
        await alice.Client.CreateRoomAsync("general");
        await laptop.Client.JoinRoomAsync("general");
        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }

        var before = Assert.Single(await phone.Client.MyRoomsAsync());
        var read = await laptop.Client.MarkReadAsync("general", 2);
        await alice.WaitForEventAsync("read:general:bob:2");
        await phone.WaitForEventAsync("read:general:bob:2");
        var after = Assert.Single(await phone.Client.MyRoomsAsync());

        Assert.Equal(new MyRoom(MyRoom.RoomKind, "general", false, 3, 0, 3, before.LastMessageAt), before);
        Assert.NotNull(before.LastMessageAt);
        Assert.Equal(2, read);
        Assert.Equal((2L, 1L), (after.ReadSeq, after.Unread));
        Assert.Equal([("alice", 3L), ("bob", 2L)], (await alice.Client.GetMembersAsync("general")).Select(m => (m.User, m.ReadSeq)));
    }

    [Fact]
    public async Task A_read_position_never_moves_back_and_only_a_move_is_announced()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }

        Assert.Equal(2, await bob.Client.MarkReadAsync("general", 2));
        Assert.Equal(2, await bob.Client.MarkReadAsync("general", 1));
        Assert.Equal(2, await bob.Client.MarkReadAsync("general", 2));
        Assert.Equal(3, await bob.Client.MarkReadAsync("general", 1000));
        await alice.WaitForEventAsync("read:general:bob:3");

        Assert.Equal(["read:general:bob:2", "read:general:bob:3"], alice.Events.Where(e => e.StartsWith("read:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Direct_messages_form_a_conversation_with_history_unread_counts_and_receipts_to_both_users()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        // MessagePack on one side: MyRoom and ReadUpTo's seq cross both protocols.
        await using var bob = await host.ChatAsync("bob", o => o.Protocol = HubProtocolFormat.MessagePack);
        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.SendToUserAsync("bob", $"dm{i}");
        }
        await bob.WaitForMessageAsync("dm3");

        var bobs = Assert.Single(await bob.Client.MyRoomsAsync());
        var alices = Assert.Single(await alice.Client.MyRoomsAsync());
        var history = await bob.Client.GetConversationAsync("alice", null, 10);
        var older = await bob.Client.GetConversationAsync("alice", history[1].Id, 10);
        var read = await bob.Client.MarkReadAsync(ConversationAddress.For("alice"), 3);
        await alice.WaitForEventAsync("read:@bob:bob:3");
        await bob.WaitForEventAsync("read:@alice:bob:3");

        Assert.Equal((MyRoom.ConversationKind, "alice", 3L, 0L, 3L), (bobs.Kind, bobs.Name, bobs.LastSeq, bobs.ReadSeq, bobs.Unread));
        Assert.Equal((MyRoom.ConversationKind, "bob", 0L), (alices.Kind, alices.Name, alices.Unread));
        Assert.Equal(["dm1", "dm2", "dm3"], history.Select(m => m.Text));
        Assert.Equal(["dm1"], older.Select(m => m.Text));
        Assert.Equal(3, read);
        Assert.Equal(0, Assert.Single(await bob.Client.MyRoomsAsync()).Unread);
    }

    [Fact]
    public async Task My_rooms_lists_rooms_and_conversations_the_most_recently_active_first()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("quiet");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await bob.Client.SendToRoomAsync("general", "first");
        await bob.Client.SendToUserAsync("alice", "later");
        await alice.WaitForMessageAsync("later");

        var rooms = await alice.Client.MyRoomsAsync();

        Assert.Equal([("conversation", "bob", 1L), ("room", "general", 1L), ("room", "quiet", 0L)], rooms.Select(r => (r.Kind, r.Name, r.Unread)));
        Assert.Null(rooms[2].LastMessageAt);
    }

    [Fact]
    public async Task Marking_read_and_reading_a_conversation_refuse_bad_requests_with_clear_errors()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var mallory = await host.ChatAsync("mallory");
        await alice.Client.CreateRoomAsync("general");

        var notMember = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.Client.MarkReadAsync("general", 1));
        var missing = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.Client.MarkReadAsync("nowhere", 1));
        var noConversation = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.Client.MarkReadAsync("@alice", 1));
        var badPeer = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.Client.MarkReadAsync("@no one", 1));
        var negative = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.MarkReadAsync("general", -1));
        var limit = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.Client.GetConversationAsync("alice", null, 0));

        Assert.Contains("You are not a member of room 'general'.", notMember.Message);
        Assert.Contains("Room 'nowhere' does not exist.", missing.Message);
        Assert.Contains("You have no conversation with 'alice'.", noConversation.Message);
        Assert.Contains("Invalid user name 'no one'", badPeer.Message);
        Assert.Contains("Invalid seq -1", negative.Message);
        Assert.Contains("History limit must be between 1 and", limit.Message);
        Assert.Empty(await mallory.Client.GetConversationAsync("alice", null, 10));
    }
}
