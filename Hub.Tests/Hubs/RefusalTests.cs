using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>Bad input gets a clear error, the connection stays up, and nothing stored is lost.</summary>
public sealed class RefusalTests
{
    private static async Task<string> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubInvocationException>(call);
        return error.Message;
    }

    [Fact]
    public async Task Room_operations_on_bad_names_unknown_rooms_or_other_peoples_rooms_are_refused_clearly()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");

        Assert.Contains("Invalid room name 'bad name!'", await RefusedAsync(() => alice.Client.CreateRoomAsync("bad name!")));
        Assert.Contains("Invalid room name", await RefusedAsync(() => alice.Client.CreateRoomAsync(new string('x', 65))));
        Assert.Contains("Room 'general' already exists.", await RefusedAsync(() => bob.Client.CreateRoomAsync("general")));
        Assert.Contains("Room 'nowhere' does not exist.", await RefusedAsync(() => bob.Client.JoinRoomAsync("nowhere")));
        Assert.Contains("Room 'nowhere' does not exist.", await RefusedAsync(() => bob.Client.GetMembersAsync("nowhere")));
        Assert.Contains("Only the owner of room 'general' can delete it.", await RefusedAsync(() => bob.Client.DeleteRoomAsync("general")));
        Assert.Contains("You are not a member of room 'general'.", await RefusedAsync(() => bob.Client.SendToRoomAsync("general", "hi")));
        Assert.Contains("You are not a member of room 'general'.", await RefusedAsync(() => bob.Client.GetHistoryAsync("general", null, 10)));
        Assert.Contains("Invalid user name", await RefusedAsync(() => bob.Client.SendToUserAsync("no/slashes", "hi")));

        // Still connected and nothing changed.
        Assert.Equal(["alice"], (await alice.Client.GetMembersAsync("general")).Select(m => m.User));
        Assert.Equal(HubConnectionState.Connected, bob.Client.State);
    }

    [Fact]
    public async Task A_direct_message_to_a_user_that_never_connected_is_refused_until_they_have_connected_once()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");

        Assert.Equal("User 'ghost' does not exist.", await RefusedAsync(() => alice.Client.SendToUserAsync("ghost", "boo")));
        Assert.Equal("User 'ghost' does not exist.", await RefusedAsync(() => alice.Client.SendToUserAsync("ghost", "boo", "k-1")));
        // Resumed comes once the connection is registered (and the user with it known to the namespace).
        await using (var first = await host.ChatAsync("ghost"))
        {
            await first.WaitForResumeAsync();
        }
        await alice.Client.SendToUserAsync("ghost", "now you exist", "k-1");

        // Offline now, but known: the message waits in the queue, alone (the refused ones stored nothing).
        await using var ghost = await host.ChatAsync("ghost");
        await ghost.WaitForMessageAsync("now you exist");
        Assert.Equal(1, (await ghost.WaitForResumeAsync()).Redelivered);
        // The sender's own copy (a conversation is both users') comes live; the refused sends left none.
        await alice.WaitForMessageAsync("now you exist");
        Assert.Equal(["now you exist"], alice.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Direct_messages_to_users_that_never_connected_are_kept_when_the_option_allows_them()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:AllowUnknownRecipients"] = "true" });
        await using var alice = await host.ChatAsync("alice");

        await alice.Client.SendToUserAsync("ghost", "boo");

        await using var ghost = await host.ChatAsync("ghost");
        await ghost.WaitForMessageAsync("boo");
    }

    [Fact]
    public async Task Texts_that_are_empty_or_over_the_limit_are_refused_and_the_connection_stays_up()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxTextBytes"] = "100" });
        await using var alice = await host.ChatAsync("alice");
        // The limit comes with Resumed, so a client (the web page's byte counter) can refuse before sending.
        Assert.Equal(100, (await alice.WaitForResumeAsync()).MaxTextBytes);
        await alice.Client.CreateRoomAsync("general");

        Assert.Contains("Message text is required.", await RefusedAsync(() => alice.Client.SendToRoomAsync("general", " ")));
        Assert.Contains("Message too long: 101 bytes; the limit is 100 bytes.", await RefusedAsync(() => alice.Client.SendToRoomAsync("general", new string('x', 101))));
        // UTF-8 bytes count, not characters: 34 three-byte characters are 102 bytes.
        Assert.Contains("Message too long: 102 bytes", await RefusedAsync(() => alice.Client.SendToRoomAsync("general", new string('€', 34))));

        var ok = await alice.Client.SendToRoomAsync("general", new string('x', 100));
        Assert.Equal(ok.Id, (await alice.WaitForAsync(u => u.Messages.Count == 1).ContinueWith(_ => alice.Messages[0])).Id);
    }

    [Fact]
    public async Task Sending_faster_than_the_rate_limit_is_refused_until_tokens_refill()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:SendsPerSecond"] = "1",
            ["Limits:SendBurst"] = "2",
        }, time);
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");

        await alice.Client.SendToRoomAsync("general", "one");
        await alice.Client.SendToRoomAsync("general", "two");
        Assert.Contains("Rate limit exceeded: at most 1 messages per second (bursts of 2)", await RefusedAsync(() => alice.Client.SendToRoomAsync("general", "three")));

        time.Advance(TimeSpan.FromSeconds(1));
        await alice.Client.SendToRoomAsync("general", "four");
        await alice.WaitForMessageAsync("four");
        Assert.Equal(["one", "two", "four"], alice.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Room_and_member_limits_are_refused_with_the_limit_in_the_message()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:MaxRoomsPerUser"] = "1",
            ["Limits:MaxMembersPerRoom"] = "2",
            ["Limits:MaxRoomsPerSend"] = "1",
        });
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        Assert.Contains("maximum of 1 rooms", await RefusedAsync(() => alice.Client.CreateRoomAsync("second")));
        Assert.Contains("Room 'general' is full (2 members).", await RefusedAsync(() => carol.Client.JoinRoomAsync("general")));
        Assert.Contains("at most 1 rooms at once", await RefusedAsync(() => alice.Client.SendToRoomsAsync(["general", "other"], "hi")));
        Assert.Contains("History limit must be between 1 and 200.", await RefusedAsync(() => alice.Client.GetHistoryAsync("general", null, 0)));
        Assert.Contains("Invalid message id 'yesterday'.", await RefusedAsync(() => alice.Client.GetHistoryAsync("general", "yesterday", 10)));
    }

    [Fact]
    public async Task Acking_more_ids_than_allowed_is_refused_and_removes_nothing()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxAckIds"] = "2" });
        await using var raw = await host.RawChatAsync("alice");
        var sent = await raw.InvokeAsync<SendResult>(HubMethods.SendToUser, ["alice", "note to self"]);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.Ack, [new[] { sent.Id, "1-1", "1-2" }]));
        Assert.Contains("Ack at most 2 ids at once.", error.Message);

        // The raw connection named no device: a client naming none is the same (anonymous) device, with its cursors.
        await using var alice = await host.ChatAsync("alice", o => o.DeviceId = null);
        await alice.WaitForResumeAsync();
        Assert.Equal(sent.Id, Assert.Single(alice.Messages).Id);
    }

    [Fact]
    public async Task A_frame_over_the_receive_limit_closes_the_connection_and_the_client_comes_back_with_nothing_lost()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaximumReceiveMessageSize"] = "8192" });
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await bob.Client.SendToUserAsync("alice", "before");
        await alice.WaitForMessageAsync("before");

        // SignalR closes a connection whose frame exceeds MaximumReceiveMessageSize; Hub.Client reconnects.
        await Assert.ThrowsAnyAsync<Exception>(() => alice.Client.SendToRoomAsync("general", new string('x', 20_000)));
        await alice.WaitForEventAsync("reconnected");
        await bob.Client.SendToUserAsync("alice", "after");

        await alice.WaitForMessageAsync("after");
        Assert.Single(alice.Messages, m => m.Text == "before");
    }
}
