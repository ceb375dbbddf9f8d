using Hub.Server.Delivery;

namespace Hub.Tests.Stores;

// Devices and their cursors: where a device starts, how acks move its cursors, how devices are bounded, and how the
// logs' bounds show up as dropped messages.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Acks_are_cumulative_per_scope_and_never_move_a_cursor_backwards()
    {
        var s = await GeneralAsync();
        await ConnectAsync(s, "alice", "bob");
        await OpenAsync(s, "bob");
        var room = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            room.Add((await s.Delivery.AppendAsync(ToRoom("general", "alice", $"r{i}"))).Envelope.Id);
        }
        var dm = (await s.Delivery.AppendAsync(Direct("alice", "bob", "d1"))).Envelope.Id;
        var note = (await s.Delivery.AppendAsync(Notify("n1", "bob"))).Envelope.Id;

        // Acking the second acknowledges the first too.
        Assert.Equal(1, await AckAsync(s, "bob", "", room[1]));
        Assert.Equal(["d1", "n1", "r3", "r4"], (await ReadAsync(s, "bob")).Texts.Order(StringComparer.Ordinal));
        Assert.Equal(0, await AckAsync(s, "bob", "", room[0]));
        Assert.Equal(0, await AckAsync(s, "bob", "", room[1]));
        Assert.Equal(2, (await ReadAsync(s, "bob")).Texts.Count(t => t!.StartsWith('r')));
        // One batch moves each scope's cursor to the greatest id given for it, whatever their order.
        Assert.Equal(3, await AckAsync(s, "bob", "", room[3], note, room[2], dm));
        Assert.Empty((await ReadAsync(s, "bob")).Messages);
        var reopened = await OpenAsync(s, "bob");
        Assert.All(reopened.Scopes, scope => Assert.True(scope.Acknowledged));
        Assert.Equal(RefOf((await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 1))[0]).Position,
            reopened.Scopes.Single(x => x.Scope == DeliveryScope.Room("general")).After);
    }

    [Fact]
    public async Task Concurrent_acks_of_many_devices_each_move_only_their_own_cursor()
    {
        // Acks that arrive together may be stored together (the Redis store runs them as one script per partition).
        var s = await GeneralAsync();
        var devices = Enumerable.Range(0, 8).Select(i => $"d{i}").ToList(); // within MaxDevicesPerUser
        foreach (var device in devices)
        {
            await OpenAsync(s, "bob", device);
        }
        var ids = new List<string>();
        for (var i = 0; i < devices.Count; i++)
        {
            ids.Add((await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"))).Envelope.Id);
        }

        // Device i acknowledges the first i + 1 messages; some acks come twice, or for a device that does not exist.
        var moved = await Task.WhenAll(devices.Select((device, i) => Task.Run(() => AckAsync(s, "bob", device, ids[i])))
            .Concat(devices.Take(4).Select((device, i) => Task.Run(() => AckAsync(s, "bob", device, ids[i]))))
            .Append(Task.Run(() => AckAsync(s, "bob", "nobody", ids[^1]))));

        Assert.Equal(devices.Count, moved.Sum());
        for (var i = 0; i < devices.Count; i++)
        {
            Assert.Equal(devices.Count - i - 1, (await ReadAsync(s, "bob", devices[i])).Messages.Count);
        }
    }

    [Fact]
    public async Task Acking_ids_of_a_room_the_user_is_not_in_a_malformed_id_or_an_unknown_device_changes_nothing()
    {
        var s = await GeneralAsync();
        await s.Rooms.CreateAsync(Ns, "secret", "carol", Limits);
        await ConnectAsync(s, "alice", "carol");
        await OpenAsync(s, "bob");
        var mine = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "mine"))).Envelope.Id;
        var secret = (await s.Delivery.AppendAsync(ToRoom("secret", "carol", "secret"))).Envelope.Id;
        var theirs = (await s.Delivery.AppendAsync(Direct("alice", "carol", "theirs"))).Envelope.Id;
        var position = mine[..mine.IndexOf('/')];

        Assert.Equal(0, await AckAsync(s, "bob", "", secret, theirs, "", "not-an-id", "1-x", $"{position}/", $"{position}/r/",
            $"{position}/x/general", $"{position}/r/general/x", $"{position}/d/alice", $"{position}/d/alice/bob/x", $"{position}/u"));
        Assert.Equal(0, await AckAsync(s, "bob", "tablet", mine));
        Assert.Equal(0, await AckAsync(s, "mallory", "", mine));

        Assert.Equal(["mine"], (await ReadAsync(s, "bob")).Texts);
        Assert.All((await OpenAsync(s, "bob")).Scopes, scope => Assert.False(scope.Acknowledged));
        // The ack did not make the device it named: that one has no cursor when it first connects.
        Assert.All((await OpenAsync(s, "bob", "tablet")).Scopes, scope => Assert.False(scope.Acknowledged));
    }

    [Fact]
    public async Task A_users_first_device_reads_everything_kept_and_a_further_device_starts_at_the_present_each_with_its_own_epoch()
    {
        var s = await GeneralAsync();
        await ConnectAsync(s, "alice", "bob");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "old room"));
        await s.Delivery.AppendAsync(Direct("alice", "bob", "old dm"));
        await s.Delivery.AppendAsync(Notify("old note", "bob"));
        Time.Advance(TimeSpan.FromMilliseconds(1));

        // The phone is bob's first device: what was sent to bob before any device of his connected is his.
        var phone = await ReadAsync(s, "bob", "phone");
        // The laptop comes later: it starts at the present (the past is history, not new messages).
        var laptop = await ReadAsync(s, "bob", "laptop");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "new room"));
        await s.Delivery.AppendAsync(Direct("alice", "bob", "new dm"));
        await s.Delivery.AppendAsync(Notify("new note", "bob"));
        var laptopAgain = await ReadAsync(s, "bob", "laptop");
        var phoneAgain = await ReadAsync(s, "bob", "phone");

        Assert.Equal(["old dm", "old note", "old room"], phone.Texts.Order(StringComparer.Ordinal));
        Assert.Empty(laptop.Messages);
        Assert.Equal(3, laptop.Opened.Scopes.Count);
        Assert.All(laptop.Opened.Scopes, scope => Assert.False(scope.Acknowledged));
        Assert.False(string.IsNullOrEmpty(phone.Epoch));
        Assert.NotEqual(phone.Epoch, laptop.Epoch);
        Assert.Equal(phone.Epoch, phoneAgain.Epoch);
        Assert.Equal(laptop.Epoch, laptopAgain.Epoch);
        Assert.Equal(["new dm", "new note", "new room"], laptopAgain.Texts.Order(StringComparer.Ordinal));
        Assert.Equal(0, laptopAgain.Dropped);
    }

    [Fact]
    public async Task An_ack_of_a_position_far_in_the_future_is_ignored_so_it_cannot_silence_the_device()
    {
        var s = await GeneralAsync();
        await ConnectAsync(s, "alice", "bob");
        await OpenAsync(s, "bob", "phone");
        var future = Time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds();

        Assert.Equal(0, await AckAsync(s, "bob", "phone", $"{future}-1", $"{future}-1/r/general"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "r1"));
        await s.Delivery.AppendAsync(Notify("n1", "bob"));

        Assert.Equal(["n1", "r1"], (await ReadAsync(s, "bob", "phone")).Texts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_devices_of_one_user_each_read_every_message_whatever_the_other_acknowledged()
    {
        var s = await GeneralAsync();
        await ConnectAsync(s, "alice", "bob");
        await OpenAsync(s, "bob", "phone");
        await OpenAsync(s, "bob", "laptop");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "r1"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "r2"));
        await s.Delivery.AppendAsync(Direct("alice", "bob", "d1"));
        await s.Delivery.AppendAsync(Notify("n1", "bob"));

        // The laptop is online, reads and acknowledges everything; the phone was offline all along.
        var laptop = await ReadAsync(s, "bob", "laptop");
        Assert.Equal(3, await AckAsync(s, "bob", "laptop", [.. laptop.Messages.Select(e => e.Id)]));
        var phone = await ReadAsync(s, "bob", "phone");

        Assert.Equal(4, laptop.Messages.Count);
        Assert.Empty((await ReadAsync(s, "bob", "laptop")).Messages);
        Assert.Equal(laptop.Messages, phone.Messages);
        Assert.Equal(0, phone.Dropped);
    }

    [Fact]
    public async Task A_room_joined_later_is_read_from_the_position_the_user_joined_at()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await OpenAsync(s, "bob");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "before"));
        var joined = await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "after"));

        var bob = await ReadAsync(s, "bob");

        Assert.True(joined.Added);
        Assert.Equal(["after"], bob.Texts);
        var scope = bob.Opened.Scopes.Single(x => x.Scope == DeliveryScope.Room("general"));
        Assert.Equal((1L, false), (scope.After.Counter, scope.Acknowledged));
        Assert.Equal(0, bob.Dropped);
    }

    [Fact]
    public async Task Leaving_a_room_removes_it_from_the_backlog_and_rejoining_starts_at_the_rejoin()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        var first = await s.Delivery.AppendAsync(ToRoom("general", "alice", "while a member"));
        var opened = await OpenAsync(s, "bob");
        var room = opened.Scopes.Single(x => x.Scope == DeliveryScope.Room("general"));

        await s.Rooms.LeaveAsync(Ns, "general", "bob");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "after leaving"));

        Assert.DoesNotContain((await OpenAsync(s, "bob")).Scopes, x => x.Scope == DeliveryScope.Room("general"));
        Assert.Empty((await ReadAsync(s, "bob")).Messages);
        // A scope read from an earlier open, or an ack of it, no longer reaches the room's log.
        Assert.Empty(Assert.Single(await s.Delivery.ReadBacklogAsync(Ns, "bob", [room], 10)).Messages);
        Assert.Equal(0, await AckAsync(s, "bob", "", first.Envelope.Id));

        await s.Rooms.JoinAsync(Ns, "general", "bob", Limits, false);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "after rejoining"));
        Assert.Equal(["after rejoining"], (await ReadAsync(s, "bob")).Texts);
    }

    [Fact]
    public async Task Deleting_a_room_removes_it_from_every_members_backlog()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "gone with the room"));

        await s.Rooms.DeleteAsync(Ns, "general", "alice");

        var bob = await ReadAsync(s, "bob");
        Assert.DoesNotContain(bob.Opened.Scopes, x => x.Scope.Kind == DeliveryScopeKind.Room);
        Assert.Empty(bob.Messages);
    }

    [Fact]
    public async Task Opening_more_devices_than_MaxDevicesPerUser_forgets_the_least_recently_seen()
    {
        var s = await StoresAsync(new DeliveryOptions { MaxDevicesPerUser = 2 });
        var d1 = await OpenAsync(s, "bob", "d1");
        Time.Advance(TimeSpan.FromSeconds(1));
        var d2 = await OpenAsync(s, "bob", "d2");
        Time.Advance(TimeSpan.FromSeconds(1));
        await OpenAsync(s, "bob", "d1");
        var note = await s.Delivery.AppendAsync(Notify("n", "bob"));
        Time.Advance(TimeSpan.FromSeconds(1));

        var d3 = await OpenAsync(s, "bob", "d3");

        // d2 was seen least recently: it is forgotten, cursors and all; d1 is kept.
        Assert.Equal(0, await AckAsync(s, "bob", "d2", note.Envelope.Id));
        Assert.Equal(1, await AckAsync(s, "bob", "d1", note.Envelope.Id));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(d1.Epoch, (await OpenAsync(s, "bob", "d1")).Epoch);
        Assert.NotEqual(d1.Epoch, d3.Epoch);
        // Coming back, d2 is a new device (and now d3, seen least recently, makes way for it).
        Assert.NotEqual(d2.Epoch, (await OpenAsync(s, "bob", "d2")).Epoch);
        Assert.Equal(0, await AckAsync(s, "bob", "d3", note.Envelope.Id));
    }

    [Fact]
    public async Task A_device_unseen_for_DeviceRetention_is_forgotten_and_comes_back_as_a_new_device()
    {
        var retention = TimeSpan.FromDays(1);
        var s = await StoresAsync(new DeliveryOptions { DeviceRetention = retention });
        var phone = await OpenAsync(s, "bob", "phone");
        var before = await s.Delivery.AppendAsync(Notify("before", "bob"));
        Time.Advance(TimeSpan.FromHours(1));
        var laptop = await OpenAsync(s, "bob", "laptop");
        Time.Advance(retention - TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1));
        await s.Delivery.AppendAsync(Notify("while away", "bob"));
        Time.Advance(TimeSpan.FromMilliseconds(1));

        // The phone, last seen more than the retention ago, is forgotten (whether or not another device connected
        // since); the laptop, seen since, is not.
        Assert.Equal(0, await AckAsync(s, "bob", "phone", before.Envelope.Id));
        Assert.Equal(1, await AckAsync(s, "bob", "laptop", before.Envelope.Id));
        var back = await ReadAsync(s, "bob", "phone");
        Assert.NotEqual(phone.Epoch, back.Epoch);
        Assert.Empty(back.Messages);
        Assert.Equal(laptop.Epoch, (await OpenAsync(s, "bob", "laptop")).Epoch);
    }

    [Fact]
    public async Task A_device_that_keeps_acknowledging_is_remembered_past_DeviceRetention_however_long_ago_it_connected()
    {
        var retention = TimeSpan.FromDays(1);
        var s = await StoresAsync(new DeliveryOptions { DeviceRetention = retention });
        var phone = await OpenAsync(s, "bob", "phone");
        for (var day = 0; day < 3; day++)
        {
            // Connected all along: it connected once, and acknowledges what it receives.
            Time.Advance(retention - TimeSpan.FromMinutes(1));
            var note = await s.Delivery.AppendAsync(Notify($"day {day}", "bob"));
            Assert.Equal(1, await AckAsync(s, "bob", "phone", note.Envelope.Id));
        }
        Time.Advance(TimeSpan.FromMinutes(2));

        await OpenAsync(s, "bob", "laptop");

        var again = await OpenAsync(s, "bob", "phone");
        Assert.Equal(phone.Epoch, again.Epoch);
        Assert.True(again.Scopes.Single(x => x.Scope == DeliveryScope.User).Acknowledged);
    }

    [Fact]
    public async Task The_length_bound_drops_the_oldest_entries_and_an_acknowledged_cursor_reports_them_as_dropped()
    {
        var s = await GeneralAsync(new DeliveryOptions { MaxPendingPerUser = 3, RoomHistoryLength = 3 });
        await OpenAsync(s, "bob", "phone");
        await OpenAsync(s, "bob", "laptop");
        var firstNote = await s.Delivery.AppendAsync(Notify("n0", "bob"));
        var firstPost = await s.Delivery.AppendAsync(ToRoom("general", "alice", "r0"));
        await AckAsync(s, "bob", "phone", firstNote.Envelope.Id, firstPost.Envelope.Id);
        for (var i = 1; i <= 5; i++)
        {
            await s.Delivery.AppendAsync(Notify($"n{i}", "bob"));
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"r{i}"));
        }

        var phone = await ReadAsync(s, "bob", "phone");
        var laptop = await ReadAsync(s, "bob", "laptop");

        string[] kept = ["n3", "n4", "n5", "r3", "r4", "r5"];
        Assert.Equal(kept, phone.Texts.Order(StringComparer.Ordinal));
        // Past its cursor the phone missed n1, n2, r1 and r2; the laptop never acknowledged anything, so it cannot
        // say what it missed (n0 and r0 were trimmed too).
        Assert.Equal(4, phone.Dropped);
        Assert.Equal(kept, laptop.Texts.Order(StringComparer.Ordinal));
        Assert.Equal(0, laptop.Dropped);
        // Acknowledging what it read, the phone has nothing more to report.
        await AckAsync(s, "bob", "phone", [.. phone.Messages.Select(e => e.Id)]);
        var caughtUp = await ReadAsync(s, "bob", "phone");
        Assert.Equal((0, 0L), (caughtUp.Messages.Count, caughtUp.Dropped));
    }

    [Fact]
    public async Task The_age_bound_skips_old_entries_and_an_acknowledged_cursor_reports_them_as_dropped()
    {
        var s = await GeneralAsync(new DeliveryOptions { MaxPendingAge = TimeSpan.FromHours(1) });
        await OpenAsync(s, "bob", "phone");
        await OpenAsync(s, "bob", "laptop");
        var acked = new[]
        {
            (await s.Delivery.AppendAsync(Notify("n0", "bob"))).Envelope.Id,
            (await s.Delivery.AppendAsync(ToRoom("general", "alice", "r0"))).Envelope.Id,
        };
        await AckAsync(s, "bob", "phone", acked);
        await s.Delivery.AppendAsync(Notify("old", "bob"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "old"));
        Time.Advance(TimeSpan.FromMinutes(90));
        await s.Delivery.AppendAsync(Notify("new", "bob"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "new"));

        var phone = await ReadAsync(s, "bob", "phone");
        var laptop = await ReadAsync(s, "bob", "laptop");

        Assert.Equal(["new", "new"], phone.Texts);
        Assert.Equal(2, phone.Dropped);
        Assert.Equal(["new", "new"], laptop.Texts);
        Assert.Equal(0, laptop.Dropped);
    }

    [Fact]
    public async Task A_scope_longer_than_a_page_reports_more_and_the_next_page_continues_exactly_after()
    {
        var s = await GeneralAsync();
        var opened = await OpenAsync(s, "bob");
        for (var i = 0; i < 4; i++)
        {
            await s.Delivery.AppendAsync(ToRoom("general", "alice", $"r{i}"));
        }
        for (var i = 0; i < 3; i++)
        {
            await s.Delivery.AppendAsync(Notify($"n{i}", "bob"));
        }
        IReadOnlyList<BacklogScope> scopes = [.. opened.Scopes.Reverse()];

        var first = await s.Delivery.ReadBacklogAsync(Ns, "bob", scopes, 2);
        var second = await s.Delivery.ReadBacklogAsync(Ns, "bob", [.. first.Select(p => p.Scope)], 2);

        // One page per scope, in the order asked.
        Assert.Equal(scopes.Select(x => x.Scope), first.Select(p => p.Scope.Scope));
        var (room, user) = (first.Single(p => p.Scope.Scope.Kind == DeliveryScopeKind.Room), first.Single(p => p.Scope.Scope == DeliveryScope.User));
        Assert.Equal(["r0", "r1"], room.Messages.Select(e => e.Text));
        Assert.Equal(["n0", "n1"], user.Messages.Select(e => e.Text));
        Assert.True(room.More && user.More);
        Assert.Equal(RefOf(room.Messages[^1]).Position, room.Scope.After);
        Assert.Equal(RefOf(user.Messages[^1]).Position, user.Scope.After);
        // An exactly full last page has no more; a short one neither.
        var (room2, user2) = (second.Single(p => p.Scope.Scope.Kind == DeliveryScopeKind.Room), second.Single(p => p.Scope.Scope == DeliveryScope.User));
        Assert.Equal(["r2", "r3"], room2.Messages.Select(e => e.Text));
        Assert.Equal(["n2"], user2.Messages.Select(e => e.Text));
        Assert.False(room2.More || user2.More);
        // A page that is empty keeps where it started.
        var third = await s.Delivery.ReadBacklogAsync(Ns, "bob", [room2.Scope], 2);
        Assert.Equal((room2.Scope.After, false), (Assert.Single(third).Scope.After, third[0].More));
        Assert.Empty(third[0].Messages);
    }
}
