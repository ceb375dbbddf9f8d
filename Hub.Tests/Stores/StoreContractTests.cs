using System.Collections.Concurrent;
using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Hub.Server.Rooms;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Stores;

/// <summary>
/// What every store must do, whatever keeps the data: the in-memory and Redis stores both inherit these tests.
/// Each test uses fresh namespace and room names, so a store shared between tests cannot leak state into another.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private static readonly RoomLimits Limits = new(MaxRoomsPerUser: 3, MaxMembersPerRoom: 3);
    private readonly List<StoreSet> _created = [];

    /// <summary>Creates the stores under test with the given bounds and clock.</summary>
    protected abstract Task<StoreSet> CreateStoresAsync(DeliveryOptions options, TimeProvider time);

    protected ManualTimeProvider Time { get; } = new();

    protected string Ns { get; } = "ns" + Guid.NewGuid().ToString("N")[..8];

    private async Task<StoreSet> StoresAsync(DeliveryOptions? options = null)
    {
        var stores = await CreateStoresAsync(options ?? new DeliveryOptions(), Time);
        _created.Add(stores);
        return stores;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var stores in _created)
        {
            await stores.DisposeAsync();
        }
    }

    private OutgoingMessage ToRoom(string room, string from, string text) =>
        new(Ns, from, DeliveryTarget.ToRooms([room]), Text: text, SenderMustBeMember: true);

    /// <summary>How long the store keeps the record of a keyed send (Redis: the key's TTL); null where nothing expires by itself.</summary>
    protected virtual Task<TimeSpan?> SendKeyLifetimeAsync(StoreSet stores, string ns, string user, string key) => Task.FromResult<TimeSpan?>(null);

    private OutgoingMessage Keyed(string room, string from, string text, string key) => ToRoom(room, from, text) with { Key = key };

    private OutgoingMessage Direct(string from, string to, string text, bool mustBeKnown = true) =>
        new(Ns, from, DeliveryTarget.ToUsers([to, from]), To: to, Text: text, RecipientsMustBeKnown: mustBeKnown);

    // What a user's anonymous device has not acknowledged, every scope read to its end.
    private static async Task<List<Envelope>> PendingAsync(StoreSet s, string ns, string user)
    {
        var backlog = await s.Delivery.OpenDeviceAsync(ns, user, "");
        var pages = await s.Delivery.ReadBacklogAsync(ns, user, backlog.Scopes, 100_000);
        return [.. pages.SelectMany(p => p.Messages)];
    }

    [Fact]
    public async Task Created_room_has_its_creator_as_owner_and_only_member()
    {
        var s = await StoresAsync();
        var info = await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);

        Assert.Equal(("general", "alice"), (info.Name, info.Owner));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), info.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(["alice"], await s.Rooms.GetMembersAsync(Ns, "general"));
        Assert.Equal(["general"], await s.Rooms.GetRoomsOfUserAsync(Ns, "alice"));
        Assert.Equal("alice", (await s.Rooms.GetAsync(Ns, "general"))?.Owner);
    }

    [Fact]
    public async Task Creating_a_room_that_exists_is_refused()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);

        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "general", "bob", Limits));
        Assert.Contains("already exists", error.Message);
    }

    [Fact]
    public async Task Only_the_owner_can_delete_a_room_and_deleting_forgets_every_membership()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, createIfMissing: false);

        var refused = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.DeleteAsync(Ns, "general", "bob"));
        Assert.Contains("Only the owner", refused.Message);

        var members = await s.Rooms.DeleteAsync(Ns, "general", "alice");
        Assert.Equal(["alice", "bob"], members.Order());
        Assert.Null(await s.Rooms.GetAsync(Ns, "general"));
        Assert.Empty(await s.Rooms.GetRoomsOfUserAsync(Ns, "bob"));
        Assert.Empty((await s.Rooms.ListAsync(Ns, after: null, limit: 10)).Rooms);
        await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.DeleteAsync(Ns, "general", "alice"));
    }

    [Fact]
    public async Task Joining_an_unknown_room_is_refused_unless_the_namespace_creates_rooms_on_join()
    {
        var s = await StoresAsync();
        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.JoinAsync(Ns, "nowhere", "bob", Limits, createIfMissing: false));
        Assert.Contains("does not exist", error.Message);

        var created = await s.Rooms.JoinAsync(Ns, "topic", "bob", Limits, createIfMissing: true);
        Assert.True(created.Added);
        Assert.Equal(["bob"], created.Members);
    }

    [Fact]
    public async Task Joining_twice_is_idempotent_and_leaving_ends_membership()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        Assert.True((await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false)).Added);
        var again = await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        Assert.False(again.Added);
        Assert.Equal(["alice", "bob"], again.Members);

        Assert.True(await s.Rooms.LeaveAsync(Ns, "general", "bob"));
        Assert.False(await s.Rooms.LeaveAsync(Ns, "general", "bob"));
        Assert.Equal(["alice"], await s.Rooms.GetMembersAsync(Ns, "general"));
        await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.LeaveAsync(Ns, "nowhere", "bob"));
    }

    [Fact]
    public async Task Room_and_membership_limits_are_enforced()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "r1", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "r2", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "r3", "alice", Limits);
        var tooMany = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "r4", "alice", Limits));
        Assert.Contains("maximum of 3 rooms", tooMany.Message);

        await s.Rooms.JoinAsync(Ns, "r1", "bob", Limits, false);
        await s.Rooms.JoinAsync(Ns, "r1", "carol", Limits, false);
        var full = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.JoinAsync(Ns, "r1", "dave", Limits, false));
        Assert.Contains("is full", full.Message);
    }

    [Fact]
    public async Task The_same_room_name_in_two_namespaces_is_two_rooms()
    {
        var s = await StoresAsync();
        var other = Ns + "x";
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.CreateAsync(other, "general", "bob", Limits);

        Assert.Equal(["alice"], await s.Rooms.GetMembersAsync(Ns, "general"));
        Assert.Equal(["bob"], await s.Rooms.GetMembersAsync(other, "general"));
    }

    [Fact]
    public async Task Owned_rooms_are_bounded_per_user_whether_or_not_the_owner_is_still_a_member()
    {
        var s = await StoresAsync();
        var limits = Limits with { MaxOwnedRoomsPerUser = 2 };
        await s.Rooms.CreateAsync(Ns, "r1", "alice", limits);
        await s.Rooms.JoinAsync(Ns, "r2", "alice", limits, createIfMissing: true);
        await s.Rooms.LeaveAsync(Ns, "r1", "alice");
        await s.Rooms.LeaveAsync(Ns, "r2", "alice");

        var refused = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "r3", "alice", limits));
        Assert.Contains("own the maximum of 2 rooms", refused.Message);
        Assert.Contains("own the maximum of 2 rooms",
            (await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.JoinAsync(Ns, "r3", "alice", limits, createIfMissing: true))).Message);
        Assert.Null(await s.Rooms.GetAsync(Ns, "r3"));
        // Joining a room someone else owns is not owning it.
        await s.Rooms.CreateAsync(Ns, "bobs", "bob", limits);
        await s.Rooms.JoinAsync(Ns, "bobs", "alice", limits, createIfMissing: true);

        await s.Rooms.DeleteAsync(Ns, "r1", "alice");
        await s.Rooms.CreateAsync(Ns, "r3", "alice", limits);
    }

    [Fact]
    public async Task The_rooms_of_a_namespace_are_bounded_and_deleting_one_makes_room()
    {
        var s = await StoresAsync();
        var limits = Limits with { MaxRoomsPerNamespace = 2 };
        await s.Rooms.CreateAsync(Ns, "r1", "alice", limits);
        await s.Rooms.CreateAsync(Ns, "r2", "bob", limits);

        var refused = await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.CreateAsync(Ns, "r3", "carol", limits));
        Assert.Contains("maximum of 2 rooms (Limits:MaxRoomsPerNamespace)", refused.Message);
        await Assert.ThrowsAsync<HubRequestException>(() => s.Rooms.JoinAsync(Ns, "r3", "carol", limits, createIfMissing: true));
        Assert.Equal(["r1", "r2"], (await s.Rooms.ListAsync(Ns, null, 10)).Rooms.Select(r => r.Name));
        // Joining an existing room is not creating one; other namespaces have their own bound.
        await s.Rooms.JoinAsync(Ns, "r1", "carol", limits, createIfMissing: true);
        await s.Rooms.CreateAsync(Ns + "x", "r3", "carol", limits);

        await s.Rooms.DeleteAsync(Ns, "r2", "bob");
        await s.Rooms.CreateAsync(Ns, "r3", "carol", limits);
    }

    [Fact]
    public async Task Rooms_are_listed_in_name_order_in_pages_that_resume_after_the_cursor()
    {
        var s = await StoresAsync();
        var limits = Limits with { MaxRoomsPerUser = 100 };
        string[] names = ["A", "B-1", "_z", "a", "a.b", "a0", "b", "z9"];
        foreach (var name in names.Reverse())
        {
            await s.Rooms.CreateAsync(Ns, name, "alice", limits);
        }

        var first = await s.Rooms.ListAsync(Ns, null, 3);
        Assert.Equal(["A", "B-1", "_z"], first.Rooms.Select(r => r.Name));
        Assert.Equal("_z", first.Next);
        Assert.Equal("alice", first.Rooms[0].Owner);
        var second = await s.Rooms.ListAsync(Ns, first.Next, 3);
        Assert.Equal(["a", "a.b", "a0"], second.Rooms.Select(r => r.Name));
        var last = await s.Rooms.ListAsync(Ns, second.Next, 3);
        Assert.Equal(["b", "z9"], last.Rooms.Select(r => r.Name));
        Assert.Null(last.Next);

        // The cursor need not be a room that still exists; an exactly full last page has no next.
        await s.Rooms.DeleteAsync(Ns, "a0", "alice");
        Assert.Equal(["b", "z9"], (await s.Rooms.ListAsync(Ns, "a0", 3)).Rooms.Select(r => r.Name));
        Assert.Null((await s.Rooms.ListAsync(Ns, "a0", 2)).Next);
        Assert.Empty((await s.Rooms.ListAsync(Ns, "z9", 3)).Rooms);
        Assert.Empty((await s.Rooms.ListAsync(Ns + "x", null, 3)).Rooms);
    }

    [Fact]
    public async Task A_connection_past_the_per_user_limit_is_refused_and_recorded_nowhere()
    {
        var s = await StoresAsync();
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "alice", "c1", maxConnections: 2));
        Assert.False(await s.Presence.AddConnectionAsync(Ns, "alice", "c2", maxConnections: 2));

        var refused = await Assert.ThrowsAsync<HubRequestException>(() => s.Presence.AddConnectionAsync(Ns, "alice", "c3", maxConnections: 2));
        Assert.Equal(429, refused.StatusCode);
        Assert.Contains("at most 2 connections", refused.Message);
        Assert.Equal(["c1", "c2"], (await s.Presence.GetConnectionsAsync(Ns, "alice")).Order());
        // Re-adding a recorded connection is not a new one; another user has its own count.
        Assert.False(await s.Presence.AddConnectionAsync(Ns, "alice", "c2", maxConnections: 2));
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "bob", "b1", maxConnections: 2));

        await s.Presence.RemoveConnectionAsync(Ns, "alice", "c1");
        Assert.False(await s.Presence.AddConnectionAsync(Ns, "alice", "c3", maxConnections: 2));
    }

    [Fact]
    public async Task A_new_user_past_the_namespace_user_limit_is_refused_and_recorded_nowhere_while_known_users_still_connect()
    {
        var s = await StoresAsync();
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "alice", "a1", maxUsers: 2));
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "bob", "b1", maxUsers: 2));

        var refused = await Assert.ThrowsAsync<HubRequestException>(() => s.Presence.AddConnectionAsync(Ns, "carol", "c1", maxUsers: 2));
        Assert.Contains("maximum of 2 users (Limits:MaxUsersPerNamespace)", refused.Message);
        Assert.Empty(await s.Presence.GetConnectionsAsync(Ns, "carol"));
        Assert.Equal([false], await s.Presence.AreOnlineAsync(Ns, ["carol"]));

        // Known users come back (offline ones too), and another namespace has its own count.
        await s.Presence.RemoveConnectionAsync(Ns, "alice", "a1");
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "alice", "a2", maxUsers: 2));
        Assert.False(await s.Presence.AddConnectionAsync(Ns, "bob", "b2", maxUsers: 2));
        Assert.True(await s.Presence.AddConnectionAsync("notifications", "carol", "c1", maxUsers: 2));
    }

    [Fact]
    public async Task A_user_is_online_from_the_first_connection_until_the_last_one_closes()
    {
        var s = await StoresAsync();
        Assert.True(await s.Presence.AddConnectionAsync(Ns, "alice", "c1"));
        Assert.False(await s.Presence.AddConnectionAsync(Ns, "alice", "c2"));
        Assert.Equal(["c1", "c2"], (await s.Presence.GetConnectionsAsync(Ns, "alice")).Order());
        Assert.Equal([true, false], await s.Presence.AreOnlineAsync(Ns, ["alice", "bob"]));

        Assert.False(await s.Presence.RemoveConnectionAsync(Ns, "alice", "c1"));
        Assert.True(await s.Presence.RemoveConnectionAsync(Ns, "alice", "c2"));
        Assert.False(await s.Presence.RemoveConnectionAsync(Ns, "alice", "c2"));
        Assert.Equal([false], await s.Presence.AreOnlineAsync(Ns, ["alice"]));
    }

    [Fact]
    public async Task A_room_message_is_queued_for_every_member_with_consecutive_sequence_numbers()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);

        var first = await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"));
        var second = await s.Delivery.AppendAsync(ToRoom("general", "bob", "two"));

        Assert.Equal(2, first.Recipients);
        Assert.Equal((1L, 2L), (first.Envelope.Seq!.Value, second.Envelope.Seq!.Value));
        Assert.Equal(("general", "alice", "one", Ns), (first.Envelope.Room, first.Envelope.From, first.Envelope.Text, first.Envelope.Ns));
        Assert.False(first.Envelope.Redelivered);
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(["one", "two"], (await PendingAsync(s, Ns, user)).Select(e => e.Text));
        }
    }

    [Fact]
    public async Task A_refused_send_stores_nothing_and_uses_no_sequence_number()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);

        var notMember = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("general", "mallory", "hi")));
        Assert.Contains("not a member", notMember.Message);
        var unknown = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("nowhere", "alice", "hi")));
        Assert.Contains("does not exist", unknown.Message);

        Assert.Empty(await PendingAsync(s, Ns, "alice"));
        Assert.Equal(1, (await s.Delivery.AppendAsync(ToRoom("general", "alice", "ok"))).Envelope.Seq);
    }

    [Fact]
    public async Task A_namespaces_message_ids_have_consecutive_counters_whatever_the_send_and_refusals_take_none()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");
        await s.Presence.AddConnectionAsync(Ns, "bob", "b1");

        var ids = new List<string>
        {
            (await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"))).Envelope.Id,
            (await s.Delivery.AppendAsync(Direct("alice", "bob", "two"))).Envelope.Id,
        };
        await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(ToRoom("general", "mallory", "refused")));
        await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "ghost", "refused")));
        ids.Add((await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToOnline("alice"), Text: "three"))).Envelope.Id);
        ids.Add((await s.Delivery.AppendAsync(Keyed("general", "alice", "four", "k-4"))).Envelope.Id);
        await s.Delivery.AppendAsync(Keyed("general", "alice", "four", "k-4"));
        ids.Add((await s.Delivery.AppendAsync(ToRoom("general", "alice", "five"))).Envelope.Id);

        // Dispatchers rely on it: a jump in the counter is an announcement they missed.
        var counters = ids.Select(id => MessageId.TryParse(id, out var parsed) ? parsed.Counter : -1).ToList();
        Assert.Equal(Enumerable.Range(0, counters.Count).Select(i => counters[0] + i), counters);
    }

    [Fact]
    public async Task A_message_to_several_rooms_reaches_a_user_in_two_of_them_once_and_counts_in_each_room()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "a", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "b", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "a", "bob", Limits, false);
        await s.Rooms.JoinAsync(Ns, "b", "bob", Limits, false);
        await s.Rooms.JoinAsync(Ns, "b", "carol", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("b", "alice", "before"));

        var multi = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToRooms(["a", "b"]), Text: "both", SenderMustBeMember: true));

        Assert.Equal(3, multi.Recipients);
        Assert.Null(multi.Envelope.Room);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, multi.Envelope.Rooms);
        Assert.Single(await PendingAsync(s, Ns, "bob"), e => e.Text == "both");
        Assert.Single(await PendingAsync(s, Ns, "carol"), e => e.Text == "both");
        Assert.Equal(3, (await s.Delivery.AppendAsync(ToRoom("b", "alice", "after"))).Envelope.Seq);
    }

    [Fact]
    public async Task A_direct_message_is_queued_for_the_addressee_and_the_sender()
    {
        var s = await StoresAsync();
        var dm = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToUsers(["bob", "alice"]), To: "bob", Text: "psst"));

        Assert.Equal(2, dm.Recipients);
        Assert.Equal(("bob", (string?)null, (long?)null), (dm.Envelope.To, dm.Envelope.Room, dm.Envelope.Seq));
        Assert.Equal("psst", Assert.Single(await PendingAsync(s, Ns, "bob")).Text);
        Assert.Equal("psst", Assert.Single(await PendingAsync(s, Ns, "alice")).Text);
    }

    [Fact]
    public async Task A_broadcast_reaches_every_online_user_but_the_sender()
    {
        var s = await StoresAsync();
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");
        await s.Presence.AddConnectionAsync(Ns, "bob", "b1");
        await s.Presence.AddConnectionAsync(Ns, "carol", "c1");
        await s.Presence.RemoveConnectionAsync(Ns, "carol", "c1");

        var sent = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToOnline("alice"), Text: "all"));

        Assert.Equal(1, sent.Recipients);
        Assert.Single(await PendingAsync(s, Ns, "bob"));
        Assert.Empty(await PendingAsync(s, Ns, "alice"));
        Assert.Empty(await PendingAsync(s, Ns, "carol"));
    }

    [Fact]
    public async Task A_notification_to_all_reaches_every_user_that_ever_connected_with_its_payload()
    {
        var s = await StoresAsync();
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");
        await s.Presence.AddConnectionAsync(Ns, "bob", "b1");
        await s.Presence.RemoveConnectionAsync(Ns, "bob", "b1");
        var payload = JsonDocument.Parse("""{"order":42,"tags":["x"]}""").RootElement;

        var sent = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "billing", DeliveryTarget.ToKnown(), Type: "order.shipped", Payload: payload));

        Assert.Equal(2, sent.Recipients);
        var received = Assert.Single(await PendingAsync(s, Ns, "bob"));
        Assert.Equal("order.shipped", received.Type);
        Assert.Equal(42, received.Payload!.Value.GetProperty("order").GetInt32());
    }

    [Fact]
    public async Task Ack_removes_only_the_callers_entries_and_ignores_unknown_ids()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        var one = await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "two"));

        Assert.Equal(1, await s.Delivery.AckAsync(Ns, "alice", "", [one.Envelope.Id, "999-999", "not-an-id", ""]));
        Assert.Equal(0, await s.Delivery.AckAsync(Ns, "mallory", "", [one.Envelope.Id]));

        Assert.Equal(["two"], (await PendingAsync(s, Ns, "alice")).Select(e => e.Text));
        Assert.Equal(["one", "two"], (await PendingAsync(s, Ns, "bob")).Select(e => e.Text));
    }

    [Fact]
    public async Task Message_ids_keep_increasing_when_the_clock_steps_back()
    {
        var s = await StoresAsync();
        var before = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToUsers(["bob"]), Text: "a"));
        Time.Advance(TimeSpan.FromMinutes(-5));
        var after = await s.Delivery.AppendAsync(new OutgoingMessage(Ns, "alice", DeliveryTarget.ToUsers(["bob"]), Text: "b"));

        Assert.True(MessageId.TryParse(before.Envelope.Id, out var a));
        Assert.True(MessageId.TryParse(after.Envelope.Id, out var b));
        Assert.True(b > a);
    }

    [Fact]
    public async Task History_is_newest_last_pages_backwards_and_keeps_the_configured_length()
    {
        var s = await StoresAsync(new DeliveryOptions { RoomHistoryLength = 4 });
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        for (var i = 0; i < 6; i++)
        {
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"));
        }

        var latest = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 3);
        var older = await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), MessageId.ParseCursor(latest[0].Id), 10);

        Assert.Equal(["m3", "m4", "m5"], latest.Select(e => e.Text));
        Assert.Equal(["m2"], older.Select(e => e.Text));
        Assert.Empty(await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("nowhere"), null, 10));
    }

    [Fact]
    public async Task Subscribers_see_every_stored_message_once_in_id_order_even_under_concurrent_sends()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        var seen = new ConcurrentQueue<StoredMessage>();
        const int senders = 8, each = 25;
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
        Assert.All(list, m => Assert.Equal(["alice", "bob"], m.Recipients.Order()));
        var pending = await PendingAsync(s, Ns, "bob");
        Assert.Equal(list.Select(m => m.Envelope.Id), pending.Select(e => e.Id));
    }

    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_result_and_stores_and_announces_nothing_new()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        var seen = new ConcurrentQueue<StoredMessage>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await s.Delivery.SubscribeAsync(Ns, m =>
        {
            seen.Enqueue(m);
            if (m.Envelope.Text == "marker")
            {
                marker.TrySetResult();
            }
        }, onGap: () => { });

        var first = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var retry = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "marker"));
        await marker.Task.OrTimeout();

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first with { Replayed = true }, retry);
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(["hello", "marker"], (await PendingAsync(s, Ns, user)).Select(e => e.Text));
        }
        Assert.Equal(["hello", "marker"], (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 10)).Select(e => e.Text));
        Assert.Equal(["hello", "marker"], seen.Select(m => m.Envelope.Text));
        Assert.Equal(2, seen.Last().Envelope.Seq);
    }

    [Fact]
    public async Task The_same_key_from_two_senders_is_two_messages()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);

        var fromAlice = await s.Delivery.AppendAsync(Keyed("general", "alice", "same", "shared-key"));
        var fromBob = await s.Delivery.AppendAsync(Keyed("general", "bob", "same", "shared-key"));

        Assert.NotEqual(fromAlice.Envelope.Id, fromBob.Envelope.Id);
        Assert.False(fromBob.Replayed);
        Assert.Equal([fromAlice.Envelope.Id, fromBob.Envelope.Id], (await PendingAsync(s, Ns, "bob")).Select(e => e.Id));
    }

    [Fact]
    public async Task A_key_is_forgotten_after_the_idempotency_window_and_its_record_expires_in_the_store()
    {
        var window = TimeSpan.FromMinutes(10);
        var s = await StoresAsync(new DeliveryOptions { IdempotencyWindow = window });
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);

        var first = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));
        if (await SendKeyLifetimeAsync(s, Ns, "alice", "k-1") is { } lifetime)
        {
            Assert.InRange(lifetime, window - TimeSpan.FromMinutes(1), window);
        }
        Time.Advance(window - TimeSpan.FromSeconds(1));
        Assert.True((await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"))).Replayed);
        Time.Advance(TimeSpan.FromSeconds(1));
        var later = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));

        Assert.False(later.Replayed);
        Assert.NotEqual(first.Envelope.Id, later.Envelope.Id);
        Assert.Equal(2, later.Envelope.Seq);
        Assert.Equal([first.Envelope.Id, later.Envelope.Id], (await PendingAsync(s, Ns, "alice")).Select(e => e.Id));
        // The new record is remembered for a new window.
        Assert.Equal(later.Envelope.Id, (await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"))).Envelope.Id);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_message_is_refused_and_stores_nothing()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "other", "alice", Limits);
        await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));

        var otherText = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Keyed("general", "alice", "changed", "k-1")));
        var otherRoom = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Keyed("other", "alice", "hello", "k-1")));

        Assert.Contains("Idempotency key 'k-1' was already used for a different message", otherText.Message);
        Assert.Equal(otherText.Message, otherRoom.Message);
        Assert.Equal(["hello"], (await PendingAsync(s, Ns, "alice")).Select(e => e.Text));
    }

    [Fact]
    public async Task A_retry_gets_the_first_result_even_when_the_send_would_now_be_refused()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        var first = await s.Delivery.AppendAsync(Keyed("general", "bob", "bye", "k-1"));
        await s.Rooms.LeaveAsync(Ns, "general", "bob");

        var retry = await s.Delivery.AppendAsync(Keyed("general", "bob", "bye", "k-1"));

        Assert.Equal(first.Envelope.Id, retry.Envelope.Id);
        await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Keyed("general", "bob", "bye", "k-2")));
    }

    [Fact]
    public async Task A_keyed_notification_to_users_is_stored_once_with_the_first_recipient_count()
    {
        var s = await StoresAsync();
        var payload = JsonDocument.Parse("""{"order":42}""").RootElement;
        var message = new OutgoingMessage(Ns, "billing", DeliveryTarget.ToUsers(["bob", "carol"]), Type: "order.shipped", Payload: payload, Key: "order-42");

        var first = await s.Delivery.AppendAsync(message);
        var retry = await s.Delivery.AppendAsync(message);

        Assert.Equal((first.Envelope.Id, 2), (retry.Envelope.Id, retry.Recipients));
        Assert.Single(await PendingAsync(s, Ns, "bob"));
        Assert.Single(await PendingAsync(s, Ns, "carol"));
    }

    [Fact]
    public async Task A_direct_message_to_a_user_that_never_connected_is_refused_and_stores_nothing()
    {
        var s = await StoresAsync();
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");

        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "ghost", "boo")));
        var several = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(
            new OutgoingMessage(Ns, "billing", DeliveryTarget.ToUsers(["alice", "ghost"]), Type: "t", RecipientsMustBeKnown: true)));

        Assert.Equal("User 'ghost' does not exist.", error.Message);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(error.Message, several.Message);
        Assert.Empty(await PendingAsync(s, Ns, "alice"));
        Assert.Empty(await PendingAsync(s, Ns, "ghost"));
    }

    [Fact]
    public async Task A_direct_message_to_a_user_that_connected_once_is_stored_while_they_are_offline()
    {
        var s = await StoresAsync();
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");
        await s.Presence.AddConnectionAsync(Ns, "bob", "b1");
        await s.Presence.RemoveConnectionAsync(Ns, "bob", "b1");

        var dm = await s.Delivery.AppendAsync(Direct("alice", "bob", "later"));
        var allowed = await s.Delivery.AppendAsync(Direct("alice", "ghost", "allowed", mustBeKnown: false));

        Assert.Equal((2, 2), (dm.Recipients, allowed.Recipients));
        Assert.Equal(["later"], (await PendingAsync(s, Ns, "bob")).Select(e => e.Text));
        Assert.Equal(["allowed"], (await PendingAsync(s, Ns, "ghost")).Select(e => e.Text));
    }

    [Fact]
    public async Task Users_known_in_one_namespace_are_unknown_in_another()
    {
        var s = await StoresAsync();
        await s.Presence.AddConnectionAsync(Ns, "alice", "a1");
        await s.Presence.AddConnectionAsync(Ns, "bob", "b1");
        var other = Ns + "x";
        await s.Presence.AddConnectionAsync(other, "alice", "a2");

        var error = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Direct("alice", "bob", "hi") with { Ns = other }));

        Assert.Equal("User 'bob' does not exist.", error.Message);
    }
}
