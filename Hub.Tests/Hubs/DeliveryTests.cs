using Hub.Client;
using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Hubs;

/// <summary>No missed events: offline delivery, redelivery after reconnect, acks, and the queue bounds.</summary>
public sealed class DeliveryTests
{
    // Lets a test see exactly what the server sends: no client-side de-duplication, no automatic acks.
    private static void Raw(HubClientOptions o)
    {
        o.Deduplicate = false;
        o.AutoAck = false;
    }

    [Fact]
    public async Task A_device_that_was_offline_gets_every_message_sent_meanwhile_in_order_when_it_reconnects()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await host.ConnectOnceAsync("bob");
        await alice.Client.SendToUserAsync("bob", "while bob was away");
        for (var i = 0; i < 20; i++)
        {
            await alice.Client.SendToUserAsync("bob", $"m{i}");
        }

        await using var bob = await host.ChatAsync("bob");

        var resumed = await bob.WaitForResumeAsync();
        Assert.Equal(21, resumed.Redelivered);
        Assert.Equal(["while bob was away", .. Enumerable.Range(0, 20).Select(i => $"m{i}")], bob.Messages.Select(m => m.Text));
        Assert.All(bob.Messages, m => Assert.True(m.Redelivered));
        Assert.True(resumed.Recovered);
        Assert.Equal(0, resumed.Dropped);
    }

    [Fact]
    public async Task Unacknowledged_messages_are_redelivered_after_reconnect_and_acknowledged_ones_are_not()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        var bob = await host.ChatAsync("bob", Raw);
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "acked");
        await alice.Client.SendToRoomAsync("general", "not acked");
        var acked = await bob.WaitForMessageAsync("acked");
        await bob.WaitForMessageAsync("not acked");

        await bob.Client.StopAsync();
        await bob.DisposeAsync();
        await using var ackingBob = await host.ChatAsync("bob", o => o.Deduplicate = false);
        await ackingBob.WaitForResumeAsync();
        Assert.Equal(["acked", "not acked"], ackingBob.Messages.Select(m => m.Text));
        Assert.All(ackingBob.Messages, m => Assert.True(m.Redelivered));
        await ackingBob.Client.FlushAcksAsync();
        await ackingBob.Client.StopAsync();

        await using var lastBob = await host.ChatAsync("bob", Raw);
        var resumed = await lastBob.WaitForResumeAsync();
        Assert.Equal(0, resumed.Redelivered);
        Assert.Empty(lastBob.Messages);
        Assert.NotNull(acked.Id);
    }

    [Fact]
    public async Task Messages_sent_during_redelivery_follow_the_backlog_with_none_lost_or_doubled()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:RedeliveryPageSize"] = "25" });
        await using var alice = await host.ChatAsync("alice");
        await host.ConnectOnceAsync("bob", Raw);
        for (var i = 0; i < 300; i++)
        {
            await alice.Client.SendToUserAsync("bob", $"backlog {i}");
        }

        await using var bob = await host.ChatAsync("bob", Raw, start: false);
        var connecting = bob.Client.StartAsync();
        var live = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await alice.Client.SendToUserAsync("bob", $"live {i}");
            }
        });
        await connecting.OrTimeout();
        await live.OrTimeout();

        await bob.WaitForAsync(u => u.Messages.Count >= 400 && u.Resumes.Count == 1, "for 400 messages and Resumed");
        var messages = bob.Messages;
        Assert.Equal(400, messages.Count);
        Assert.Equal(400, messages.Select(m => m.Id).Distinct().Count());
        Assert.True(messages.Select(m => MessageIdOf(m)).SequenceEqual(messages.Select(m => MessageIdOf(m)).Order()), "messages arrive in id order");
        Assert.Equal([.. Enumerable.Range(0, 300).Select(i => $"backlog {i}"), .. Enumerable.Range(0, 100).Select(i => $"live {i}")], messages.Select(m => m.Text));

        // Resumed comes after exactly the redelivered messages; everything after it is live.
        var resumed = bob.Resumes[0];
        var events = bob.Events.Where(e => e.StartsWith("message:", StringComparison.Ordinal) || e.StartsWith("resumed:", StringComparison.Ordinal)).ToList();
        var resumedAt = events.FindIndex(e => e.StartsWith("resumed:", StringComparison.Ordinal));
        Assert.Equal(resumed.Redelivered, resumedAt);
        Assert.All(messages.Take(resumed.Redelivered), m => Assert.True(m.Redelivered));
        Assert.All(messages.Skip(resumed.Redelivered), m => Assert.False(m.Redelivered));
    }

    [Fact]
    public async Task A_client_reconnecting_after_the_server_dropped_it_misses_nothing()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob", o => o.Deduplicate = true);
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "before");
        await bob.WaitForMessageAsync("before");

        // Simulate the network dropping bob: the server aborts his connection; Hub.Client reconnects by itself.
        var dispatcher = host.Services.GetRequiredService<DeliveryDispatcher<Hub.Server.Hubs.ChatHub>>();
        Assert.Equal(2, dispatcher.ConnectionCount);
        var aborted = host.AbortConnectionsOf("bob");
        Assert.Equal(1, aborted);
        await alice.Client.SendToRoomAsync("general", "while reconnecting");

        await bob.WaitForEventAsync("reconnected");
        // Reconnected comes before the new connection's events; by its Resumed, everything redelivered was raised.
        await bob.WaitForResumeAsync(2);
        await bob.WaitForMessageAsync("while reconnecting");
        Assert.Single(bob.Messages, m => m.Text == "before");
        Assert.Equal(2, bob.Resumes.Count);
    }

    [Fact]
    public async Task The_length_bound_drops_the_oldest_past_an_acknowledged_cursor_and_the_client_is_told_how_many()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:RoomHistoryLength"] = "5" });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using (var away = await host.ChatAsync("bob"))
        {
            await away.Client.JoinRoomAsync("general");
            await alice.Client.SendToRoomAsync("general", "seen");
            await away.WaitForMessageAsync("seen");
            await away.Client.StopAsync();
        }
        for (var i = 0; i < 8; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }

        await using var bob = await host.ChatAsync("bob");

        // The room keeps m3..m7; m0..m2 were past bob's cursor ("seen", acknowledged) when they went.
        var resumed = await bob.WaitForResumeAsync();
        Assert.Equal((5, 3L), (resumed.Redelivered, resumed.Dropped));
        Assert.Equal(["m3", "m4", "m5", "m6", "m7"], bob.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task The_age_bound_drops_old_entries_past_an_acknowledged_cursor_and_the_client_is_told_how_many()
    {
        // The clock starts in the past and catches up with now, so dev tokens (validated on the real clock) stay valid.
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:MaxPendingAge"] = "01:00:00" }, time);
        await using var alice = await host.ChatAsync("alice");
        await using (var away = await host.ChatAsync("bob"))
        {
            await alice.Client.SendToUserAsync("bob", "seen");
            await away.WaitForMessageAsync("seen");
            await away.Client.StopAsync();
        }
        await alice.Client.SendToUserAsync("bob", "old");
        time.Advance(TimeSpan.FromHours(2));
        await alice.Client.SendToUserAsync("bob", "fresh");

        await using var bob = await host.ChatAsync("bob");

        var resumed = await bob.WaitForResumeAsync();
        Assert.Equal((1, 1L), (resumed.Redelivered, resumed.Dropped));
        Assert.Equal(["fresh"], bob.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Acking_a_message_moves_only_the_ackers_own_cursor_and_ids_of_scopes_not_yours_change_nothing()
    {
        await using var host = await HubTestHost.StartAsync();
        await host.ConnectOnceAsync("bob");
        await using var alice = await host.RawChatAsync("alice");
        await using var carol = await host.ChatAsync("carol", Raw);
        await carol.Client.CreateRoomAsync("secret");
        var secret = await carol.Client.SendToRoomAsync("secret", "not for alice");
        var sent = await alice.InvokeAsync<SendResult>(HubMethods.SendToUser, ["bob", "for bob"]);

        // Alice acks her own copy of the conversation, a room she is not in, a conversation she is not a party of, and
        // ids that are nobody's: bob's cursor must not move, nor carol's.
        await alice.InvokeAsync(HubMethods.Ack, [new[] { sent.Id, secret.Id, "1-1/d/bob/carol", "1-1", "garbage", "99999999999999-1" }]);
        await carol.Client.StopAsync();

        await using var bob = await host.ChatAsync("bob");
        await bob.WaitForResumeAsync();
        Assert.Equal(sent.Id, Assert.Single(bob.Messages).Id);
        await using var carolAgain = await host.ChatAsync("carol", Raw);
        await carolAgain.WaitForResumeAsync();
        Assert.Equal(secret.Id, Assert.Single(carolAgain.Messages).Id);
    }

    [Fact]
    public async Task A_reconnecting_client_sends_its_epoch_and_hears_that_history_is_intact()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.ChatAsync("bob");
        var first = await bob.WaitForResumeAsync();
        host.AbortConnectionsOf("bob");

        var second = await bob.WaitForResumeAsync(2);

        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Equal(first.Epoch, bob.Client.Epoch);
        Assert.True(second.Recovered);
    }

    private static MessageId MessageIdOf(Envelope m) => MessageRef.TryParse(m.Id, out var at) ? at.Position : throw new InvalidOperationException(m.Id);
}
