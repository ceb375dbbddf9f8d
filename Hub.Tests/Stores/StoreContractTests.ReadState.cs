using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.ReadState;
using Hub.Server.Rooms;

namespace Hub.Tests.Stores;

/// <summary>Read positions: per user, forward only, clamped to the last message; read states for MyRooms.</summary>
public abstract partial class StoreContractTests
{
    private static readonly DeliveryScope General = DeliveryScope.Room("general");

    [Fact]
    public async Task A_read_position_only_moves_forward_and_belongs_to_the_user()
    {
        var s = await GeneralAsync();
        for (var i = 0; i < 3; i++)
        {
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"));
        }

        var first = await s.ReadState.MarkReadAsync(Ns, "bob", General, 2);
        var back = await s.ReadState.MarkReadAsync(Ns, "bob", General, 1);
        var same = await s.ReadState.MarkReadAsync(Ns, "bob", General, 2);

        Assert.Equal(new ReadMark(General, 2, Moved: true), first);
        Assert.Equal(new ReadMark(General, 2, Moved: false), back);
        Assert.Equal(new ReadMark(General, 2, Moved: false), same);
        // alice sent all three: sending reads.
        Assert.Equal([3L, 2L], await s.ReadState.GetReadSeqsAsync(Ns, "general", ["alice", "bob"]));
    }

    [Fact]
    public async Task A_read_position_past_the_last_message_stops_at_the_last_message()
    {
        var s = await GeneralAsync();
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "two"));

        Assert.Equal(new ReadMark(General, 2, Moved: true), await s.ReadState.MarkReadAsync(Ns, "bob", General, 99));
        Assert.Equal(new ReadMark(General, 2, Moved: false), await s.ReadState.MarkReadAsync(Ns, "bob", General, 99));
    }

    [Fact]
    public async Task Marking_a_room_read_is_refused_to_a_non_member_and_for_an_unknown_room_as_a_send_is()
    {
        var s = await GeneralAsync();

        var notMember = await Assert.ThrowsAsync<HubRequestException>(() => s.ReadState.MarkReadAsync(Ns, "mallory", General, 1));
        var missing = await Assert.ThrowsAsync<HubRequestException>(() => s.ReadState.MarkReadAsync(Ns, "bob", DeliveryScope.Room("nowhere"), 1));

        Assert.Equal(RoomErrors.NotMember("general").Message, notMember.Message);
        Assert.Equal(RoomErrors.NotFound("nowhere").Message, missing.Message);
    }

    [Fact]
    public async Task A_conversation_is_read_by_each_party_on_its_own_and_one_without_messages_is_refused()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob", "carol");
        var conversation = DeliveryScope.Conversation("alice", "bob");
        await s.Delivery.AppendAsync(Direct("alice", "bob", "one"));
        await s.Delivery.AppendAsync(Direct("alice", "bob", "two"));

        var bob = await s.ReadState.MarkReadAsync(Ns, "bob", conversation, 1);
        var none = await Assert.ThrowsAsync<HubRequestException>(() => s.ReadState.MarkReadAsync(Ns, "alice", DeliveryScope.Conversation("alice", "carol"), 1));

        Assert.Equal(new ReadMark(conversation, 1, Moved: true), bob);
        Assert.Equal(ReadStateErrors.NoConversation("carol").Message, none.Message);
        var alice = Assert.Single(await s.ReadState.GetReadStatesAsync(Ns, "alice", 10));
        Assert.Equal((2L, 2L), (alice.Last.Counter, alice.ReadSeq));
        var bobs = Assert.Single(await s.ReadState.GetReadStatesAsync(Ns, "bob", 10));
        Assert.Equal((conversation, 2L, 1L), (bobs.Scope, bobs.Last.Counter, bobs.ReadSeq));
    }

    [Fact]
    public async Task Read_states_count_a_room_from_where_the_user_joined_it()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        for (var i = 0; i < 3; i++)
        {
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"before{i}"));
        }
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "after"));

        var bob = Assert.Single(await s.ReadState.GetReadStatesAsync(Ns, "bob", 10));

        Assert.Equal((General, 4L, 3L, false), (bob.Scope, bob.Last.Counter, bob.ReadSeq, bob.IsPrivate));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), bob.Last.Milliseconds);
    }

    [Fact]
    public async Task Leaving_a_room_forgets_how_far_the_user_read_it_and_its_read_state()
    {
        var s = await GeneralAsync();
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"));
        await s.ReadState.MarkReadAsync(Ns, "bob", General, 1);

        await s.Rooms.LeaveAsync(Ns, "general", "bob");

        Assert.Empty(await s.ReadState.GetReadStatesAsync(Ns, "bob", 10));
        Assert.Equal([0L], await s.ReadState.GetReadSeqsAsync(Ns, "general", ["bob"]));
    }

    [Fact]
    public async Task Read_states_list_the_newest_conversations_up_to_the_bound()
    {
        var s = await StoresAsync();
        string[] peers = ["p1", "p2", "p3"];
        await ConnectAsync(s, ["alice", .. peers]);
        foreach (var peer in peers)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await s.Delivery.AppendAsync(Direct(peer, "alice", "hi"));
        }

        var states = await s.ReadState.GetReadStatesAsync(Ns, "alice", 2);

        Assert.Equal([DeliveryScope.Conversation("alice", "p3"), DeliveryScope.Conversation("alice", "p2")], states.Select(x => x.Scope));
        Assert.All(states, x => Assert.Equal((1L, 0L), (x.Last.Counter, x.ReadSeq)));
    }
}
