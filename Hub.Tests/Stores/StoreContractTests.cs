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
public abstract partial class StoreContractTests : IAsyncLifetime
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

    // The stores with the room most tests use: "general", created by alice, joined by bob.
    private async Task<StoreSet> GeneralAsync(DeliveryOptions? options = null)
    {
        var stores = await StoresAsync(options);
        await stores.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await stores.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        return stores;
    }

    // Each user connects once (connection "{user}-1"): online now, and known to the namespace from now on.
    private async Task ConnectAsync(StoreSet s, params string[] users)
    {
        foreach (var user in users)
        {
            await s.Presence.AddConnectionAsync(Ns, user, user + "-1");
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var stores in _created)
        {
            await stores.DisposeAsync();
        }
    }

    /// <summary>How long the store keeps the record of a keyed send (Redis: the key's TTL); null where nothing expires by itself.</summary>
    protected virtual Task<TimeSpan?> SendKeyLifetimeAsync(StoreSet stores, string ns, string user, string key) => Task.FromResult<TimeSpan?>(null);

    private OutgoingMessage ToRoom(string room, string from, string text) =>
        new(Ns, from, DeliveryTarget.ToRooms([room]), Text: text, SenderMustBeMember: true);

    private OutgoingMessage ToRooms(string from, string text, params string[] rooms) =>
        new(Ns, from, DeliveryTarget.ToRooms(rooms), Text: text, SenderMustBeMember: true);

    private OutgoingMessage Keyed(string room, string from, string text, string key) => ToRoom(room, from, text) with { Key = key };

    // As MessageSender makes a chat direct message.
    private OutgoingMessage Direct(string from, string to, string text, bool mustBeKnown = true) =>
        new(Ns, from, DeliveryTarget.ToConversation(from, to), To: to, Text: text, RecipientsMustBeKnown: mustBeKnown);

    private OutgoingMessage Notify(string text, params string[] users) =>
        new(Ns, "billing", DeliveryTarget.ToUsers(users), Text: text, Type: "note");

    // A device as a client's connect opens it: from then on it reads what is stored.
    private Task<DeviceBacklog> OpenAsync(StoreSet s, string user, string device = "") => s.Delivery.OpenDeviceAsync(Ns, user, device);

    private Task<int> AckAsync(StoreSet s, string user, string device, params string[] ids) => s.Delivery.AckAsync(Ns, user, device, ids);

    // What a device has to read at connect, as the dispatcher reads it: open the device, then every scope in pages
    // until none has more.
    private async Task<Backlog> ReadAsync(StoreSet s, string user, string device = "", int pageSize = 1000)
    {
        var opened = await OpenAsync(s, user, device);
        var messages = new List<Envelope>();
        long dropped = 0;
        IReadOnlyList<BacklogScope> pending = opened.Scopes;
        for (var calls = 0; pending.Count > 0; calls++)
        {
            Assert.True(calls < 1000, "the backlog ends");
            var next = new List<BacklogScope>();
            foreach (var page in await s.Delivery.ReadBacklogAsync(Ns, user, pending, pageSize))
            {
                messages.AddRange(page.Messages);
                dropped += page.Dropped;
                if (page.More)
                {
                    next.Add(page.Scope);
                }
            }
            pending = next;
        }
        return new Backlog(opened, messages, dropped);
    }

    private static MessageRef RefOf(Envelope envelope) =>
        MessageRef.TryParse(envelope.Id, out var at) ? at : throw new Xunit.Sdk.XunitException($"'{envelope.Id}' is not a message id.");

    private async Task<Announcements> SubscribeAsync(StoreSet s)
    {
        var seen = new Announcements();
        seen.Subscription = await s.Delivery.SubscribeAsync(Ns, seen.Add, onGap: () => { });
        return seen;
    }

    /// <summary>A device's backlog as read at connect.</summary>
    private sealed record Backlog(DeviceBacklog Opened, List<Envelope> Messages, long Dropped)
    {
        public string Epoch => Opened.Epoch;

        public List<string?> Texts => [.. Messages.Select(m => m.Text)];
    }

    /// <summary>The announcements a subscriber saw, in order; <see cref="Until"/> awaits a condition on them (bounded), never sleeps.</summary>
    private sealed class Announcements : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<StoredMessage> _seen = [];
        private readonly List<(Func<List<StoredMessage>, bool> Done, TaskCompletionSource Reached)> _waiters = [];

        public IAsyncDisposable? Subscription { get; set; }

        public List<StoredMessage> All
        {
            get
            {
                lock (_gate)
                {
                    return [.. _seen];
                }
            }
        }

        public void Add(StoredMessage message)
        {
            lock (_gate)
            {
                _seen.Add(message);
                foreach (var waiter in _waiters.Where(w => w.Done(_seen)))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        // Completes when what was seen (already, or later) satisfies the condition.
        public Task Until(Func<List<StoredMessage>, bool> done)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiters.Add((done, reached));
                if (done(_seen))
                {
                    reached.TrySetResult();
                }
            }
            return reached.Task.OrTimeout();
        }

        public ValueTask DisposeAsync() => Subscription?.DisposeAsync() ?? ValueTask.CompletedTask;
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
}
