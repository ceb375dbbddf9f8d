using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Stores;

// Edits and deletions of room messages: entries of the room's log after the original, without a sequence number, and
// the message's latest state in history and backlogs.
public abstract partial class StoreContractTests
{
    private MessageEdit Edit(Envelope message, string by, string text) =>
        new(Ns, message.Room!, by, RefOf(message).Position, text);

    private MessageEdit Delete(Envelope message, string by, bool byRoomAdmin = false) =>
        new(Ns, message.Room!, by, RefOf(message).Position, Text: null, byRoomAdmin);

    private Task<IReadOnlyList<Envelope>> HistoryAsync(StoreSet s, string room, MessageId? before = null, int limit = 100) =>
        s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room(room), before, limit);

    [Fact]
    public async Task An_edit_is_announced_after_the_original_with_its_own_id_and_no_sequence_number_and_the_next_message_takes_the_next_one()
    {
        var s = await GeneralAsync();
        await using var seen = await SubscribeAsync(s);
        var original = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "helo"))).Envelope;

        var edit = await s.Delivery.EditAsync(Edit(original, "alice", "hello"));
        var next = (await s.Delivery.AppendAsync(ToRoom("general", "bob", "hi"))).Envelope;

        var e = edit.Envelope;
        Assert.Equal(2, edit.Recipients);
        Assert.Equal((original.Id, "hello", "alice", "general", (long?)null, false), (e.TargetId, e.Text, e.From, e.Room, e.Seq, e.Deleted));
        Assert.Equal(e.SentAt, e.EditedAt);
        Assert.Equal(DeliveryScope.Room("general"), RefOf(e).Scope);
        Assert.True(RefOf(original).Position < RefOf(e).Position && RefOf(e).Position < RefOf(next).Position);
        Assert.Equal(2, next.Seq);
        await seen.Until(all => all.Count == 3);
        Assert.Equal([original.Id, e.Id, next.Id], seen.All.Select(m => m.Envelope.Id));
        Assert.Equal(e, seen.All[1].Envelope);
        Assert.Equal(["alice", "bob"], seen.All[1].Recipients.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Edits_in_the_same_millisecond_still_get_growing_positions()
    {
        var s = await GeneralAsync();
        var original = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "a"))).Envelope;

        var first = await s.Delivery.EditAsync(Edit(original, "alice", "b"));
        var second = await s.Delivery.EditAsync(Edit(original, "alice", "c"));
        var next = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "d"))).Envelope;

        Assert.True(RefOf(first.Envelope).Position < RefOf(second.Envelope).Position);
        Assert.True(RefOf(second.Envelope).Position < RefOf(next).Position);
        Assert.Equal(2, next.Seq);
    }

    [Fact]
    public async Task A_device_reads_an_edited_message_as_it_is_now_then_the_edit_in_room_order_and_acks_past_the_edit()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        var one = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "one"))).Envelope;
        var two = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "two"))).Envelope;
        Time.Advance(TimeSpan.FromSeconds(1));
        var edit = (await s.Delivery.EditAsync(Edit(one, "alice", "one, fixed"))).Envelope;
        var three = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "three"))).Envelope;

        var backlog = await ReadAsync(s, "bob");

        Assert.Equal([one.Id, two.Id, edit.Id, three.Id], backlog.Messages.Select(m => m.Id));
        Assert.Equal(("one, fixed", edit.SentAt, (long?)1), (backlog.Messages[0].Text, backlog.Messages[0].EditedAt, backlog.Messages[0].Seq));
        Assert.Null(backlog.Messages[1].EditedAt);
        Assert.Equal(edit, backlog.Messages[2]);
        Assert.Equal(0, backlog.Dropped);

        Assert.Equal(1, await AckAsync(s, "bob", "", edit.Id));
        Assert.Equal([three.Id], (await ReadAsync(s, "bob")).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task A_deleted_message_reads_as_a_tombstone_and_cannot_be_edited_or_deleted_again()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");
        var secret = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "my password is hunter2"))).Envelope;

        var deletion = (await s.Delivery.EditAsync(Delete(secret, "alice"))).Envelope;

        Assert.Equal((secret.Id, (string?)null, true, (long?)null), (deletion.TargetId, deletion.Text, deletion.Deleted, deletion.Seq));
        var history = Assert.Single(await HistoryAsync(s, "general"));
        Assert.Equal((secret.Id, (string?)null, true, deletion.SentAt), (history.Id, history.Text, history.Deleted, history.EditedAt));
        var backlog = await ReadAsync(s, "bob");
        Assert.Equal([secret.Id, deletion.Id], backlog.Messages.Select(m => m.Id));
        Assert.DoesNotContain(backlog.Messages, m => m.Text is not null);

        var edit = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(secret, "alice", "back")));
        var again = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Delete(secret, "alice")));
        Assert.Equal((HubErrorCodes.MessageDeleted, HubErrorCodes.MessageDeleted), (edit.Code, again.Code));
        Assert.Contains("was deleted", edit.Message);
    }

    [Fact]
    public async Task History_shows_each_message_once_with_its_latest_text_and_pages_past_edit_entries()
    {
        var s = await GeneralAsync();
        var sent = new List<Envelope>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add((await s.Delivery.AppendAsync(ToRoom("general", "alice", $"m{i}"))).Envelope);
        }
        // Many edit entries between the newest messages: a page of 2 must still hold 2 messages.
        for (var i = 0; i < 20; i++)
        {
            await s.Delivery.EditAsync(Edit(sent[2], "alice", $"m2 v{i}"));
        }
        await s.Delivery.EditAsync(Delete(sent[3], "alice"));

        var newest = await HistoryAsync(s, "general", limit: 2);
        var older = await HistoryAsync(s, "general", RefOf(newest[0]).Position, limit: 10);

        Assert.Equal([sent[2].Id, sent[3].Id], newest.Select(m => m.Id));
        Assert.Equal(["m2 v19", null], newest.Select(m => m.Text));
        Assert.Equal([false, true], newest.Select(m => m.Deleted));
        Assert.Equal([1L, 2L, 3L, 4L], (await HistoryAsync(s, "general")).Select(m => m.Seq!.Value));
        Assert.Equal([sent[0].Id, sent[1].Id], older.Select(m => m.Id));
        Assert.All(older, m => Assert.Null(m.EditedAt));
    }

    [Fact]
    public async Task Only_the_author_edits_and_the_author_or_a_room_admin_deletes()
    {
        var s = await GeneralAsync();
        var bobs = (await s.Delivery.AppendAsync(ToRoom("general", "bob", "bob's"))).Envelope;

        var byOther = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(bobs, "alice", "hijacked")));
        var deleteByOther = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Delete(bobs, "alice")));
        var adminEdits = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(bobs, "alice", "x") with { ByRoomAdmin = true }));

        Assert.Equal([HubErrorCodes.NotAuthor, HubErrorCodes.NotAuthor, HubErrorCodes.NotAuthor], new[] { byOther.Code, deleteByOther.Code, adminEdits.Code });
        Assert.Contains("Only the author", byOther.Message);
        Assert.Contains("or an admin", deleteByOther.Message);
        Assert.Equal("bob's", Assert.Single(await HistoryAsync(s, "general")).Text);

        var deleted = await s.Delivery.EditAsync(Delete(bobs, "alice", byRoomAdmin: true));
        Assert.Equal(("alice", true), (deleted.Envelope.From, deleted.Envelope.Deleted));
        Assert.True(Assert.Single(await HistoryAsync(s, "general")).Deleted);
    }

    [Fact]
    public async Task An_edit_of_an_unknown_room_message_or_by_a_non_member_is_refused_and_stores_nothing()
    {
        var s = await GeneralAsync();
        await using var seen = await SubscribeAsync(s);
        var message = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "hi"))).Envelope;
        var edit = (await s.Delivery.EditAsync(Edit(message, "alice", "hi!"))).Envelope;

        var noRoom = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(message, "alice", "x") with { Room = "nowhere" }));
        var notMember = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(message, "mallory", "x")));
        var noMessage = await Assert.ThrowsAsync<HubRequestException>(() =>
            s.Delivery.EditAsync(Edit(message, "alice", "x") with { Target = new MessageId(RefOf(message).Position.Milliseconds, 99) }));
        var anEdit = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.EditAsync(Edit(edit, "alice", "x")));

        Assert.Equal(HubErrorCodes.RoomNotFound, noRoom.Code);
        Assert.Equal(HubErrorCodes.NotMember, notMember.Code);
        Assert.Equal([HubErrorCodes.MessageNotFound, HubErrorCodes.MessageNotFound], new[] { noMessage.Code, anEdit.Code });
        Assert.Contains("is not in the room's history", noMessage.Message);
        Assert.Equal("hi!", Assert.Single(await HistoryAsync(s, "general")).Text);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "marker"));
        await seen.Until(all => all.Any(m => m.Envelope.Text == "marker"));
        Assert.Equal(3, seen.All.Count);
    }

    [Fact]
    public async Task Edit_entries_do_not_count_as_dropped_messages_when_the_log_is_trimmed_past_a_cursor()
    {
        var s = await GeneralAsync(new DeliveryOptions { RoomHistoryLength = 3 });
        await OpenAsync(s, "bob");
        var m1 = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "m1"))).Envelope;
        await AckAsync(s, "bob", "", m1.Id);
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m2"));
        var m3 = (await s.Delivery.AppendAsync(ToRoom("general", "alice", "m3"))).Envelope;
        await s.Delivery.EditAsync(Edit(m3, "alice", "m3!"));
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m4"));

        // Kept: m3, its edit, m4. Gone past the cursor: m2.
        var first = await ReadAsync(s, "bob");
        Assert.Equal(["m3!", "m3!", "m4"], first.Texts);
        Assert.Equal(1L, first.Dropped);

        // Kept: the edit, m4, m5. Gone: m2 and m3 (the edit entry's count is m3's).
        await s.Delivery.AppendAsync(ToRoom("general", "alice", "m5"));
        var second = await ReadAsync(s, "bob");
        Assert.Equal(["m3!", "m4", "m5"], second.Texts);
        Assert.Equal(2L, second.Dropped);
        Assert.Equal(["m4", "m5"], (await HistoryAsync(s, "general")).Select(m => m.Text));
    }
}
