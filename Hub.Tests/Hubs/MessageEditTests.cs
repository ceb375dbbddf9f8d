using Hub.Client;
using Hub.Contracts;
using Hub.Server.Limits;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// <c>EditMessage</c> and <c>DeleteMessage</c> through Hub.Client: live, on resume after the original in room order,
/// in history, and their refusals. Subclasses say where the author and the reader connect: one embedded server, or two
/// nodes on a Redis Cluster (the author on node A, the reader on node B).
/// </summary>
public abstract class MessageEditTests : TwoHostTests
{
    [Fact]
    public async Task Members_receive_an_edit_and_a_deletion_live_after_the_message_and_they_are_acknowledged_like_messages()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        var bob = await b.ChatAsync("bob", o => o.DeviceId = "laptop");
        await bob.Client.JoinRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "helo");
        await bob.WaitForMessageAsync("helo");
        var edit = await alice.Client.EditMessageAsync("general", sent.Id, "hello");
        await bob.WaitForEventAsync("edited:hello");
        var deletion = await alice.Client.DeleteMessageAsync("general", sent.Id);
        await bob.WaitForEventAsync($"deleted-message:{sent.Id}");

        var edited = bob.Edits[0];
        Assert.Equal((edit.Id, sent.Id, "alice", "general", (long?)null, edit.SentAt), (edited.Id, edited.TargetId, edited.From, edited.Room, edited.Seq, edited.EditedAt));
        var deleted = bob.Edits[1];
        Assert.Equal((deletion.Id, sent.Id, (string?)null, true), (deleted.Id, deleted.TargetId, deleted.Text, deleted.Deleted));
        Assert.Equal(["message:helo", "edited:hello", $"deleted-message:{sent.Id}"], bob.Events.Where(IsEntry));
        await alice.WaitForEventAsync($"deleted-message:{sent.Id}");

        // Acknowledged on the way (AutoAck): the same device connecting again is redelivered nothing.
        await bob.Client.StopAsync();
        await bob.DisposeAsync();
        await using var again = await b.ChatAsync("bob", o => o.DeviceId = "laptop");
        Assert.Equal(0, (await again.WaitForResumeAsync()).Redelivered);
    }

    [Fact]
    public async Task A_member_offline_during_edits_gets_them_on_resume_after_the_originals_in_room_order()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using (var phone = await b.ChatAsync("bob", o => o.DeviceId = "phone"))
        {
            await phone.Client.JoinRoomAsync("general");
            await phone.Client.StopAsync();
        }

        var one = await alice.Client.SendToRoomAsync("general", "one");
        var two = await alice.Client.SendToRoomAsync("general", "two");
        await alice.Client.EditMessageAsync("general", one.Id, "one, fixed");
        await alice.Client.DeleteMessageAsync("general", two.Id);
        var three = await alice.Client.SendToRoomAsync("general", "three");

        await using var bob = await b.ChatAsync("bob", o => o.DeviceId = "phone");
        var resumed = await bob.WaitForResumeAsync();

        Assert.Equal(5, resumed.Redelivered);
        // Each message as it reads now (latest text, a tombstone), then the edits in their place in the room's log.
        Assert.Equal(["message:one, fixed", "message:", "edited:one, fixed", $"deleted-message:{two.Id}", "message:three"], bob.Events.Where(IsEntry));
        Assert.Equal([1L, 2L, 3L], bob.Messages.Select(m => m.Seq!.Value));
        Assert.Equal(three.Id, bob.Messages[2].Id);
        Assert.True(bob.Messages[1].Deleted);
        Assert.All(bob.Edits, e => Assert.True(e.Redelivered));
    }

    [Fact]
    public async Task History_shows_the_latest_text_and_tombstones_once_each_without_the_edit_entries()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using var bob = await b.ChatAsync("bob");
        await bob.Client.JoinRoomAsync("general");
        var one = await alice.Client.SendToRoomAsync("general", "one");
        var two = await bob.Client.SendToRoomAsync("general", "two");
        await alice.Client.EditMessageAsync("general", one.Id, "one v2");
        await alice.Client.EditMessageAsync("general", one.Id, "one v3");
        // The owner is the room's admin: may delete bob's message.
        await alice.Client.DeleteMessageAsync("general", two.Id);

        var history = await bob.Client.GetHistoryAsync("general", null, 10);

        Assert.Equal([one.Id, two.Id], history.Select(m => m.Id));
        Assert.Equal(("one v3", false), (history[0].Text, history[0].Deleted));
        Assert.NotNull(history[0].EditedAt);
        Assert.Equal(((string?)null, true, "bob"), (history[1].Text, history[1].Deleted, history[1].From));
    }

    [Fact]
    public async Task Edits_and_deletions_are_refused_with_clear_errors()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using var bob = await b.ChatAsync("bob");
        await bob.Client.JoinRoomAsync("general");
        await using var carol = await b.ChatAsync("carol");
        var alices = await alice.Client.SendToRoomAsync("general", "alice's");
        var bobs = await bob.Client.SendToRoomAsync("general", "bob's");
        var tooLong = new string('x', new LimitsOptions().MaxTextBytes + 1);

        var refusals = new[]
        {
            await RefusalAsync(() => alice.Client.EditMessageAsync("nowhere", alices.Id, "x")),
            await RefusalAsync(() => carol.Client.EditMessageAsync("general", alices.Id, "x")),
            await RefusalAsync(() => alice.Client.EditMessageAsync("general", "not-an-id", "x")),
            await RefusalAsync(() => alice.Client.EditMessageAsync("general", alices.Id.Replace("/r/general", "/r/other"), "x")),
            await RefusalAsync(() => alice.Client.EditMessageAsync("general", bobs.Id, "hijacked")),
            await RefusalAsync(() => bob.Client.DeleteMessageAsync("general", alices.Id)),
            await RefusalAsync(() => alice.Client.EditMessageAsync("general", alices.Id, tooLong)),
            await RefusalAsync(() => alice.Client.EditMessageAsync("general", alices.Id, " ")),
        };
        await alice.Client.DeleteMessageAsync("general", alices.Id);
        var deleted = await RefusalAsync(() => alice.Client.EditMessageAsync("general", alices.Id, "back"));

        Assert.Equal(
        [
            HubErrorCodes.RoomNotFound, HubErrorCodes.NotMember, HubErrorCodes.InvalidArgument, HubErrorCodes.MessageNotFound,
            HubErrorCodes.NotAuthor, HubErrorCodes.NotAuthor, HubErrorCodes.TooLarge, HubErrorCodes.InvalidArgument,
        ], refusals.Select(r => r.Code));
        Assert.Equal("You are not a member of room 'general'.", refusals[1].Message);
        Assert.Equal($"Only the author of message '{alices.Id}' or an admin of its room can delete it.", refusals[5].Message);
        Assert.Equal(HubErrorCodes.MessageDeleted, deleted.Code);
        // Nothing refused changed anything: bob's message is as sent, alice's is only deleted.
        Assert.Equal([null, "bob's"], (await bob.Client.GetHistoryAsync("general", null, 10)).Select(m => m.Text));
    }

    private static bool IsEntry(string e) => e.StartsWith("message:", StringComparison.Ordinal) || e.StartsWith("edited:", StringComparison.Ordinal)
        || e.StartsWith("deleted-message:", StringComparison.Ordinal);

    private static Task<HubInvocationException> RefusalAsync(Func<Task> call) => Assert.ThrowsAsync<HubInvocationException>(call);
}

/// <summary>Author and reader on one embedded server.</summary>
public sealed class EmbeddedMessageEditTests : MessageEditTests
{
    [Fact]
    public async Task Edits_and_deletions_spend_the_senders_send_rate()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:SendsPerSecond"] = "0.001",
            ["Limits:SendBurst"] = "3",
        });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        var sent = await alice.Client.SendToRoomAsync("general", "one");
        await alice.Client.EditMessageAsync("general", sent.Id, "two");
        await alice.Client.DeleteMessageAsync("general", sent.Id);

        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.EditMessageAsync("general", sent.Id, "three"));

        Assert.Equal(HubErrorCodes.RateLimited, refused.Code);
    }

    protected override async Task<(HubTestHost First, HubTestHost Second)> StartHostsAsync()
    {
        var host = await HubTestHost.StartAsync();
        DisposeWithTest(host);
        return (host, host);
    }
}

/// <summary>Author on node A and reader on node B of a Redis Cluster (three masters): the room's partition lives on one of them.</summary>
public sealed class RedisClusterMessageEditTests(RedisClusterFixture redis) : MessageEditTests, IClassFixture<RedisClusterFixture>
{
    protected override async Task<(HubTestHost First, HubTestHost Second)> StartHostsAsync()
    {
        var nodes = await Cluster.RedisNodes.StartAsync(redis.ConnectionString, 2);
        DisposeWithTest(nodes);
        return (nodes[0], nodes[1]);
    }
}
