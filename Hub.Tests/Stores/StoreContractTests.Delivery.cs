using System.Collections.Concurrent;
using System.Text.Json;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Stores;

// Where a message is stored (a room's log, a conversation's log, each user's stream), how it is numbered there, and
// what every node is told.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_room_message_is_stored_once_and_every_members_device_reads_it_past_its_cursor()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "alice");
        await OpenAsync(s, "bob");

        var one = await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"));
        var two = await s.Delivery.AppendAsync(ToRoom("general", "bob", "two"));

        Assert.Equal(2, one.Recipients);
        Assert.Equal(("general", "alice", "one", Ns), (one.Envelope.Room, one.Envelope.From, one.Envelope.Text, one.Envelope.Ns));
        Assert.False(one.Envelope.Redelivered);
        // Once: the room's log holds each message one time, and both members read that same entry.
        Assert.Equal([one.Envelope.Id, two.Envelope.Id], (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 10)).Select(e => e.Id));
        Assert.Equal([one.Envelope, two.Envelope], (await ReadAsync(s, "alice")).Messages);
        Assert.Equal([one.Envelope, two.Envelope], (await ReadAsync(s, "bob")).Messages);

        Assert.Equal(1, await AckAsync(s, "bob", "", one.Envelope.Id));
        Assert.Equal(["two"], (await ReadAsync(s, "bob")).Texts);
        Assert.Equal(["one", "two"], (await ReadAsync(s, "alice")).Texts);
    }

    [Fact]
    public async Task Positions_in_a_room_grow_by_one_per_message_and_the_sequence_number_is_the_position_counter()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "other", "alice", Limits);

        var sent = new List<Hub.Contracts.Envelope>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add((await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"))).Envelope);
            Time.Advance(TimeSpan.FromMilliseconds(i));
        }
        var elsewhere = (await s.Delivery.AppendAsync(ToRoom("other", "alice", "x"))).Envelope;

        var refs = sent.Select(RefOf).ToList();
        Assert.All(refs, r => Assert.Equal(DeliveryScope.Room("general"), r.Scope));
        Assert.Equal([1L, 2L, 3L], refs.Select(r => r.Position.Counter));
        Assert.Equal(refs.Select(r => (long?)r.Position.Counter), sent.Select(e => e.Seq));
        Assert.Equal(refs.Select(r => r.Position.Milliseconds).Order(), refs.Select(r => r.Position.Milliseconds));
        Assert.All(sent, e => Assert.Equal($"{RefOf(e).Position.Milliseconds}-{e.Seq}/r/general", e.Id));
        Assert.All(sent, e => Assert.Equal(RefOf(e).Position.Milliseconds, e.SentAt.ToUnixTimeMilliseconds()));
        // Each room counts its own messages.
        Assert.Equal((1L, "/r/other"), (elsewhere.Seq!.Value, elsewhere.Id[elsewhere.Id.IndexOf('/')..]));
    }

    [Fact]
    public async Task Positions_keep_increasing_when_the_clock_steps_back()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        var room = await s.Delivery.AppendAsync(ToRoom("general", "alice", "a"));
        var stream = await s.Delivery.AppendAsync(Notify("a", "bob"));
        Time.Advance(TimeSpan.FromMinutes(-5));

        var roomAfter = await s.Delivery.AppendAsync(ToRoom("general", "alice", "b"));
        var streamAfter = await s.Delivery.AppendAsync(Notify("b", "bob"));

        Assert.True(RefOf(roomAfter.Envelope).Position > RefOf(room.Envelope).Position);
        Assert.True(RefOf(streamAfter.Envelope).Position > RefOf(stream.Envelope).Position);
        Assert.Equal(2, roomAfter.Envelope.Seq);
    }

    [Fact]
    public async Task A_message_to_several_rooms_is_stored_once_in_each_room_with_that_rooms_own_sequence_number()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "a", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "b", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "a", "bob", Limits, false);
        await s.Rooms.JoinAsync(Ns, "b", "bob", Limits, false);
        await s.Rooms.JoinAsync(Ns, "b", "carol", Limits, false);
        await OpenAsync(s, "bob");
        await OpenAsync(s, "carol");
        await s.Delivery.AppendAsync(ToRoom("b", "alice", "before"));
        await using var announced = await SubscribeAsync(s);

        var multi = await s.Delivery.AppendAsync(ToRooms("alice", "both", "a", "b"));

        // The result is the first room's message; the recipients are the users of all the rooms, each counted once.
        Assert.Equal(3, multi.Recipients);
        Assert.Equal(("a", 1L), (multi.Envelope.Room, multi.Envelope.Seq!.Value));
        var inA = Assert.Single(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("a"), null, 10));
        var inB = (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("b"), null, 10))[^1];
        Assert.Equal(multi.Envelope, inA);
        Assert.Equal(("b", 2L, "both"), (inB.Room, inB.Seq!.Value, inB.Text));
        Assert.Equal(DeliveryScope.Room("b"), RefOf(inB).Scope);
        // A member of both rooms reads it in each room, as that room's message.
        Assert.Equal([inA.Id, inB.Id], (await ReadAsync(s, "bob")).Messages.Where(e => e.Text == "both").Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["before", "both"], (await ReadAsync(s, "carol")).Texts);
        await announced.Until(all => all.Count == 2);
        // One order per room, none across rooms: on a Redis Cluster the two rooms' partitions may announce from two masters.
        Assert.Equal(new HashSet<(string, string)> { (inA.Id, "alice,bob"), (inB.Id, "alice,bob,carol") },
            announced.All.Select(m => (m.Envelope.Id, string.Join(",", m.Recipients.Order(StringComparer.Ordinal)))).ToHashSet());
        Assert.Equal(3, (await s.Delivery.AppendAsync(ToRoom("b", "alice", "after"))).Envelope.Seq);
    }

    [Fact]
    public async Task A_send_to_several_rooms_is_refused_and_stores_nothing_when_any_room_is_missing_or_the_sender_is_not_a_member()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "a", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "b", "carol", Limits);
        await s.Rooms.JoinAsync(Ns, "a", "bob", Limits, false);
        await OpenAsync(s, "bob");
        await using var announced = await SubscribeAsync(s);

        var notMember = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRooms("alice", "x", "a", "b")));
        var missing = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRooms("alice", "x", "a", "nowhere")));
        var marker = await s.Delivery.AppendAsync(ToRoom("a", "alice", "marker"));

        Assert.Contains("not a member", notMember.Message);
        Assert.Contains("does not exist", missing.Message);
        Assert.Equal(1, marker.Envelope.Seq);
        Assert.Equal(["marker"], (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("a"), null, 10)).Select(e => e.Text));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("b"), null, 10));
        Assert.Equal(["marker"], (await ReadAsync(s, "bob")).Texts);
        await announced.Until(all => all.Any(m => m.Envelope.Id == marker.Envelope.Id));
        Assert.Equal(["marker"], announced.All.Select(m => m.Envelope.Text));
    }

    [Fact]
    public async Task A_refused_send_stores_nothing_and_uses_no_sequence_number()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await OpenAsync(s, "alice");

        var notMember = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("general", "mallory", "hi")));
        Assert.Contains("not a member", notMember.Message);
        var unknown = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("nowhere", "alice", "hi")));
        Assert.Contains("does not exist", unknown.Message);

        Assert.Empty((await ReadAsync(s, "alice")).Messages);
        Assert.Equal(1, (await s.Delivery.AppendAsync(ToRoom("general", "alice", "ok"))).Envelope.Seq);
    }

    [Fact]
    public async Task A_direct_message_goes_to_the_conversation_of_both_parties_whatever_the_direction_and_both_read_it()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "zoe", "adam");
        await OpenAsync(s, "zoe");
        await OpenAsync(s, "adam");
        await OpenAsync(s, "carol");

        var hi = await s.Delivery.AppendAsync(Direct("zoe", "adam", "hi"));
        var hey = await s.Delivery.AppendAsync(Direct("adam", "zoe", "hey"));

        var conversation = DeliveryScope.Conversation("zoe", "adam");
        Assert.Equal(new DeliveryScope(DeliveryScopeKind.Conversation, "adam/zoe"), conversation);
        Assert.Equal((conversation, 1L), (RefOf(hi.Envelope).Scope, hi.Envelope.Seq!.Value));
        Assert.Equal((conversation, 2L), (RefOf(hey.Envelope).Scope, hey.Envelope.Seq!.Value));
        Assert.EndsWith("/d/adam/zoe", hi.Envelope.Id);
        Assert.Equal((2, "adam", "zoe", (string?)null), (hi.Recipients, hi.Envelope.To, hey.Envelope.To, hi.Envelope.Room));
        Assert.Equal([hi.Envelope, hey.Envelope], (await ReadAsync(s, "zoe")).Messages);
        Assert.Equal([hi.Envelope, hey.Envelope], (await ReadAsync(s, "adam")).Messages);
        Assert.Equal([hi.Envelope, hey.Envelope], await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("adam", "zoe"), null, 10));
        // A third user neither lists it nor can read it by naming it.
        Assert.Empty((await ReadAsync(s, "carol")).Messages);
        var peek = Assert.Single(await s.Delivery.ReadBacklogAsync(Ns, "carol", [new BacklogScope(conversation, default, Acknowledged: false)], 10));
        Assert.Empty(peek.Messages);
    }

    [Fact]
    public async Task A_direct_message_to_a_user_that_never_connected_is_refused_and_stores_nothing()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice");
        await OpenAsync(s, "alice");

        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "ghost", "boo")));
        var several = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(
            new OutgoingMessage(Ns, "billing", DeliveryTarget.ToUsers(["alice", "ghost"]), Type: "t", RecipientsMustBeKnown: true)));

        Assert.Equal("User 'ghost' does not exist.", error.Message);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(error.Message, several.Message);
        Assert.Empty((await ReadAsync(s, "alice")).Messages);
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("alice", "ghost"), null, 10));
    }

    [Fact]
    public async Task A_direct_message_to_a_user_that_connected_once_is_stored_while_they_are_offline()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob");
        await OpenAsync(s, "bob");
        await s.Presence.RemoveConnectionAsync(Ns, "bob", "bob-1");

        var dm = await s.Delivery.AppendAsync(Direct("alice", "bob", "later"));
        var allowed = await s.Delivery.AppendAsync(Direct("alice", "ghost", "allowed", mustBeKnown: false));

        Assert.Equal((2, 2), (dm.Recipients, allowed.Recipients));
        Assert.Equal(["later"], (await ReadAsync(s, "bob")).Texts);
        Assert.Equal(["allowed"], (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("ghost", "alice"), null, 10)).Select(e => e.Text));
    }

    [Fact]
    public async Task Users_known_in_one_namespace_are_unknown_in_another()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob");
        var other = Ns + "x";
        await s.Presence.AddConnectionAsync(other, "alice", "a2");

        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "bob", "hi") with { Ns = other }));

        Assert.Equal("User 'bob' does not exist.", error.Message);
    }

    [Fact]
    public async Task A_notification_to_users_goes_into_each_users_own_stream_at_its_next_position()
    {
        var s = await StoresAsync();
        await OpenAsync(s, "bob");
        await OpenAsync(s, "carol");

        var both = await s.Delivery.AppendAsync(Notify("n1", "bob", "carol", "bob"));
        await s.Delivery.AppendAsync(Notify("n2", "bob"));
        await s.Delivery.AppendAsync(Notify("n3", "carol", "bob"));

        Assert.Equal(2, both.Recipients);
        var bob = (await ReadAsync(s, "bob")).Messages;
        var carol = (await ReadAsync(s, "carol")).Messages;
        Assert.Equal(["n1", "n2", "n3"], bob.Select(e => e.Text));
        Assert.Equal(["n1", "n3"], carol.Select(e => e.Text));
        Assert.All(bob.Concat(carol), e => Assert.Equal(DeliveryScope.User, RefOf(e).Scope));
        Assert.All(bob.Concat(carol), e => Assert.DoesNotContain('/', e.Id));
        Assert.All(bob.Concat(carol), e => Assert.Null(e.Seq));
        Assert.Equal([1L, 2L, 3L], bob.Select(e => RefOf(e).Position.Counter));
        Assert.Equal([1L, 2L], carol.Select(e => RefOf(e).Position.Counter));
        Assert.Equal(("note", "billing"), (bob[0].Type, bob[0].From));
    }

    [Fact]
    public async Task A_broadcast_reaches_the_stream_of_every_online_user_but_the_sender()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob", "carol");
        await s.Presence.RemoveConnectionAsync(Ns, "carol", "carol-1");
        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            await OpenAsync(s, user);
        }

        var sent = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToOnline("alice"), Text: "all"));

        Assert.Equal(1, sent.Recipients);
        Assert.Equal(DeliveryScope.User, RefOf(Assert.Single((await ReadAsync(s, "bob")).Messages)).Scope);
        Assert.Empty((await ReadAsync(s, "alice")).Messages);
        Assert.Empty((await ReadAsync(s, "carol")).Messages);
    }

    [Fact]
    public async Task A_notification_to_all_reaches_the_stream_of_every_user_that_ever_connected_with_its_payload()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob");
        await s.Presence.RemoveConnectionAsync(Ns, "bob", "bob-1");
        await OpenAsync(s, "alice");
        await OpenAsync(s, "bob");
        var payload = JsonDocument.Parse("""{"order":42,"tags":["x"]}""").RootElement;

        var sent = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "billing", DeliveryTarget.ToKnown(), Type: "order.shipped", Payload: payload));

        Assert.Equal(2, sent.Recipients);
        var received = Assert.Single((await ReadAsync(s, "bob")).Messages);
        Assert.Equal(DeliveryScope.User, RefOf(received).Scope);
        Assert.Equal("order.shipped", received.Type);
        Assert.Equal(42, received.Payload!.Value.GetProperty("order").GetInt32());
        Assert.Single((await ReadAsync(s, "alice")).Messages);
    }

    [Fact]
    public async Task Announcements_carry_the_recipients_and_a_partition_counter_that_grows_by_one_per_announcement()
    {
        var s = await GeneralAsync();
        await ConnectAsync(s, "alice", "bob");
        await using var announced = await SubscribeAsync(s);

        var room = await s.Delivery.AppendAsync(ToRoom("general", "bob", "room"));
        await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("general", "mallory", "refused")));
        var dm = await s.Delivery.AppendAsync(Direct("bob", "alice", "dm"));
        await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "ghost", "refused")));
        await s.Delivery.AppendAsync(Notify("note", "carol", "bob"));
        await s.Delivery.AppendAsync(Keyed("general", "alice", "keyed", "k-1"));
        await s.Delivery.AppendAsync(Keyed("general", "alice", "keyed", "k-1"));
        await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToOnline("alice"), Text: "online"));
        await announced.Until(all => all.Count >= 6);

        var all = announced.All;
        // Partitions announce independently, so only each partition's order is defined: compared as a set.
        string[] expected = ["dm:alice,bob", "keyed:alice,bob", "note:bob", "note:carol", "online:bob", "room:alice,bob"];
        Assert.Equal(expected, all.Select(m => m.Envelope.Text + ":" + string.Join(",", m.Recipients.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));
        Assert.Equal(room.Envelope, all.Single(m => m.Envelope.Text == "room").Envelope);
        Assert.Equal(dm.Envelope, all.Single(m => m.Envelope.Text == "dm").Envelope);
        // Dispatchers rely on it: a jump in a partition's counter is an announcement they missed, so neither a refused
        // send nor a replayed one may take a number.
        foreach (var partition in all.GroupBy(m => m.Partition))
        {
            var counters = partition.Select(m => m.Counter).ToList();
            Assert.Equal(Enumerable.Range(0, counters.Count).Select(i => counters[0] + i), counters);
        }
    }

    [Fact]
    public async Task A_room_messages_recipients_follow_every_join_leave_and_kick_before_it()
    {
        // The Redis store keeps a room's list of recipients between changes of its members: each change must show.
        var s = await GeneralAsync();
        await using var announced = await SubscribeAsync(s);

        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m1"));
        await s.Rooms.JoinAsync(Ns, "general", "carol", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m2"));
        await s.Rooms.LeaveAsync(Ns, "general", "bob");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m3"));
        await s.Rooms.LeaveAsync(Ns, "general", "bob");
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m4"));
        var counts = new[]
        {
            (await s.Delivery.AppendAsync(ToRoom("general", "alice", "m5"))).Recipients,
        };
        Assert.True(await s.Rooms.KickAsync(Ns, "general", "alice", "carol"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m6"));
        await announced.Until(all => all.Count >= 6);

        Assert.Equal(["m1:alice,bob", "m2:alice,bob,carol", "m3:alice,carol", "m4:alice,bob,carol", "m5:alice,bob,carol", "m6:alice,bob"],
            announced.All.Select(m => m.Envelope.Text + ":" + string.Join(",", m.Recipients.Order(StringComparer.Ordinal))));
        Assert.Equal([3], counts);
    }

    [Fact]
    public async Task Subscribers_see_every_stored_message_once_in_scope_order_even_under_concurrent_sends()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        const int senders = 8, each = 25;
        var seen = new ConcurrentQueue<StoredMessage>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await s.Delivery.SubscribeAsync(Ns, m =>
        {
            seen.Enqueue(m);
            if (seen.Count == senders * each)
            {
                all.TrySetResult();
            }
        }, onGap: () => { });

        await Task.WhenAll(Enumerable.Range(0, senders).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                await s.Delivery.AppendAsync(ToRoom("general", t % 2 == 0 ? "alice" : "bob", $"{t}:{i}"));
            }
        })));
        await all.Task.OrTimeout();

        var list = seen.ToList();
        Assert.Equal(senders * each, list.Select(m => m.Envelope.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, senders * each).Select(i => (long)i), list.Select(m => m.Envelope.Seq!.Value));
        Assert.Equal(Enumerable.Range(0, list.Count).Select(i => list[0].Counter + i), list.Select(m => m.Counter));
        Assert.All(list, m => Assert.Equal(["alice", "bob"], m.Recipients.Order()));
        Assert.Equal(list.Select(m => m.Envelope.Id), (await ReadAsync(s, "bob", pageSize: 64)).Messages.Select(e => e.Id));
    }

    [Fact]
    public async Task Concurrent_sends_to_one_room_each_get_their_own_answer_refusals_and_retries_included()
    {
        // Sends that arrive together may be stored together (the Redis store runs them as one script): each must still
        // be answered as if it had been alone.
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        const int rounds = 20;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, rounds).SelectMany(i => new Func<Task<object>>[]
        {
            async () => await s.Delivery.AppendAsync(ToRoom("general", "alice", $"plain-{i}")),
            async () => await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("general", "mallory", $"intruder-{i}"))),
            async () => await s.Delivery.AppendAsync(Keyed("general", "bob", $"keyed-{i}", $"k-{i}")),
            async () => await s.Delivery.AppendAsync(Keyed("general", "bob", $"keyed-{i}", $"k-{i}")),
            async () => await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("missing", "alice", $"nowhere-{i}"))),
        }).Select(send => Task.Run(send)));

        var results = outcomes.OfType<AppendResult>().ToList();
        var refusals = outcomes.OfType<HubRequestException>().Select(e => e.Message).ToList();
        Assert.Equal(2 * rounds, refusals.Count);
        Assert.Equal(rounds, refusals.Count(m => m.Contains("general", StringComparison.Ordinal)));
        Assert.Equal(rounds, refusals.Count(m => m.Contains("missing", StringComparison.Ordinal)));
        // Each keyed pair stored one message: one answer is the first, the other its replay with the same id.
        foreach (var pair in results.Where(r => r.Envelope.Text!.StartsWith("keyed-", StringComparison.Ordinal)).GroupBy(r => r.Envelope.Text))
        {
            Assert.Equal([false, true], pair.Select(r => r.Replayed).Order());
            Assert.Single(pair.Select(r => r.Envelope.Id).Distinct());
        }
        var stored = (await ReadAsync(s, "bob", pageSize: 64)).Messages;
        Assert.Equal(2 * rounds, stored.Count);
        Assert.Equal(results.Where(r => !r.Replayed).Select(r => r.Envelope.Id).Order(StringComparer.Ordinal), stored.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, 2 * rounds).Select(i => (long?)i), stored.Select(e => e.Seq));
        Assert.All(results, r => Assert.Equal(2, r.Recipients));
    }

    [Fact]
    public async Task Room_history_is_newest_last_pages_backwards_and_keeps_the_configured_length()
    {
        var s = await StoresAsync(new DeliveryOptions { RoomHistoryLength = 4 });
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        for (var i = 0; i < 6; i++)
        {
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"));
        }

        var latest = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 3);
        var older = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), RefOf(latest[0]).Position, 10);

        Assert.Equal(["m3", "m4", "m5"], latest.Select(e => e.Text));
        Assert.Equal(["m2"], older.Select(e => e.Text));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), RefOf(older[0]).Position, 10));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("nowhere"), null, 10));
    }

    [Fact]
    public async Task Conversation_history_holds_both_directions_newest_last_and_pages_backwards()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob");
        for (var i = 0; i < 5; i++)
        {
            await s.Delivery.AppendAsync(i % 2 == 0 ? Direct("alice", "bob", $"m{i}") : Direct("bob", "alice", $"m{i}"));
        }
        await s.Delivery.AppendAsync(Notify("not history", "alice"));

        var latest = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("bob", "alice"), null, 3);
        var older = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("alice", "bob"), RefOf(latest[0]).Position, 10);

        Assert.Equal(["m2", "m3", "m4"], latest.Select(e => e.Text));
        Assert.Equal([3L, 4L, 5L], latest.Select(e => e.Seq!.Value));
        Assert.Equal(["m0", "m1"], older.Select(e => e.Text));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Conversation("alice", "carol"), null, 10));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.User, null, 10));
    }
}
