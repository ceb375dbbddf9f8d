using System.Text.Json;
using Hub.Server.Common;
using Hub.Server.Delivery;

namespace Hub.Tests.Stores;

// Idempotency keys: a retried send stores and announces nothing new and gets the first result.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_first_result_and_stores_and_announces_nothing_new()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "alice");
        await OpenAsync(s, "bob");
        await using var announced = await SubscribeAsync(s);

        var first = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));
        Time.Advance(TimeSpan.FromMinutes(1));
        var retry = await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));
        // The marker is announced in the same room's order, after anything the retry could have announced.
        var marker = await s.Delivery.AppendAsync(ToRoom("general", "alice", "marker"));
        await announced.Until(all => all.Any(m => m.Envelope.Id == marker.Envelope.Id));

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first with { Replayed = true }, retry);
        foreach (var user in new[] { "alice", "bob" })
        {
            Assert.Equal(["hello", "marker"], (await ReadAsync(s, user)).Texts);
        }
        Assert.Equal(["hello", "marker"], (await s.Delivery.GetHistoryAsync(Ns, DeliveryScope.Room("general"), null, 10)).Select(e => e.Text));
        Assert.Equal(["hello", "marker"], announced.All.Select(m => m.Envelope.Text));
        Assert.Equal(2, marker.Envelope.Seq);
    }

    [Fact]
    public async Task The_same_key_from_two_senders_is_two_messages()
    {
        var s = await GeneralAsync();
        await OpenAsync(s, "bob");

        var fromAlice = await s.Delivery.AppendAsync(Keyed("general", "alice", "same", "shared-key"));
        var fromBob = await s.Delivery.AppendAsync(Keyed("general", "bob", "same", "shared-key"));

        Assert.NotEqual(fromAlice.Envelope.Id, fromBob.Envelope.Id);
        Assert.False(fromBob.Replayed);
        Assert.Equal([fromAlice.Envelope.Id, fromBob.Envelope.Id], (await ReadAsync(s, "bob")).Messages.Select(e => e.Id));
    }

    [Fact]
    public async Task A_key_is_forgotten_after_the_idempotency_window_and_its_record_expires_in_the_store()
    {
        var window = TimeSpan.FromMinutes(10);
        var s = await StoresAsync(new DeliveryOptions { IdempotencyWindow = window });
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await OpenAsync(s, "alice");

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
        Assert.Equal([first.Envelope.Id, later.Envelope.Id], (await ReadAsync(s, "alice")).Messages.Select(e => e.Id));
        // The new record is remembered for a new window.
        Assert.Equal(later.Envelope.Id, (await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"))).Envelope.Id);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_message_is_refused_and_stores_nothing()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "general", "alice", Limits);
        await s.Rooms.CreateAsync(Ns, "other", "alice", Limits);
        await OpenAsync(s, "alice");
        await s.Delivery.AppendAsync(Keyed("general", "alice", "hello", "k-1"));

        var otherText = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Keyed("general", "alice", "changed", "k-1")));
        var otherRoom = await Assert.ThrowsAsync<HubRequestException>(() => s.Delivery.AppendAsync(Keyed("other", "alice", "hello", "k-1")));

        Assert.Contains("Idempotency key 'k-1' was already used for a different message", otherText.Message);
        Assert.Equal(otherText.Message, otherRoom.Message);
        Assert.Equal(["hello"], (await ReadAsync(s, "alice")).Texts);
    }

    [Fact]
    public async Task A_retry_gets_the_first_result_even_when_the_send_would_now_be_refused()
    {
        var s = await GeneralAsync();
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
        await OpenAsync(s, "bob");
        await OpenAsync(s, "carol");
        var payload = JsonDocument.Parse("""{"order":42}""").RootElement;
        var message = new OutgoingMessage(Ns, "billing", DeliveryTarget.ToUsers(["bob", "carol"]), Type: "order.shipped", Payload: payload, Key: "order-42");

        var first = await s.Delivery.AppendAsync(message);
        var retry = await s.Delivery.AppendAsync(message);

        Assert.Equal((first.Envelope.Id, 2), (retry.Envelope.Id, retry.Recipients));
        Assert.Single((await ReadAsync(s, "bob")).Messages);
        Assert.Single((await ReadAsync(s, "carol")).Messages);
    }

    [Fact]
    public async Task A_keyed_direct_message_retried_is_stored_once_in_the_conversation()
    {
        var s = await StoresAsync();
        await ConnectAsync(s, "alice", "bob");
        await OpenAsync(s, "bob");

        var first = await s.Delivery.AppendAsync(Direct("alice", "bob", "once") with { Key = "dm-1" });
        var retry = await s.Delivery.AppendAsync(Direct("alice", "bob", "once") with { Key = "dm-1" });

        Assert.Equal(first with { Replayed = true }, retry);
        Assert.Equal([first.Envelope.Id], (await ReadAsync(s, "bob")).Messages.Select(e => e.Id));
        Assert.Equal(2, (await s.Delivery.AppendAsync(Direct("alice", "bob", "next"))).Envelope.Seq);
    }
}
