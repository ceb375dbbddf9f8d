using System.Net;
using System.Text;
using System.Text.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>Hub.Client against the real Hub server over the transports other than WebSockets and over MessagePack.</summary>
public sealed class TransportAndProtocolTests
{
    [Theory]
    [InlineData(HubTransports.LongPolling)]
    [InlineData(HubTransports.ServerSentEvents)]
    public async Task Without_websockets_a_member_joins_sends_receives_and_gets_unacknowledged_messages_again_after_a_reconnect(HubTransports transport)
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob", o =>
        {
            o.Transports = transport;
            o.AutoAck = false;
            o.Deduplicate = false;
        });
        await alice.Client.CreateRoomAsync("general");
        Assert.Equal(["alice", "bob"], (await bob.Client.JoinRoomAsync("general")).Members.Select(m => m.User).Order());

        await bob.Client.SendToRoomAsync("general", "from bob");
        await alice.WaitForMessageAsync("from bob");
        var sent = await alice.Client.SendToRoomAsync("general", "one");
        var live = await bob.WaitForMessageAsync("one");
        Assert.False(live.Redelivered);

        Assert.Equal(1, host.AbortConnectionsOf("bob"));

        // Never acknowledged, so the server sends it again on the new connection.
        await bob.WaitForResumeAsync(2);
        await bob.WaitForAsync(u => u.Messages.Count(m => m.Id == sent.Id) == 2, "for the redelivery");
        Assert.True(bob.Messages.Last(m => m.Id == sent.Id).Redelivered);
        // Events are raised only once the new connection is the client's (ServerEvents): it is connected by now.
        Assert.Equal(HubConnectionState.Connected, bob.Client.State);
    }

    [Fact]
    public async Task Over_messagepack_chat_messages_and_results_round_trip_unchanged()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice", o => o.Protocol = HubProtocolFormat.MessagePack);
        await using var bob = await host.ChatAsync("bob", o => o.Protocol = HubProtocolFormat.MessagePack);
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await alice.Client.CreateRoomAsync("random");
        var joined = await bob.Client.JoinRoomAsync("general");
        await bob.Client.JoinRoomAsync("random");
        await carol.Client.JoinRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "héllo ✓");
        var multi = await alice.Client.SendToRoomsAsync(["general", "random"], "both");

        var received = await bob.WaitForMessageAsync("héllo ✓");
        Assert.Equal((sent.Id, "chat", "general", "alice", 1L, false), (received.Id, received.Ns, received.Room, received.From, received.Seq!.Value, received.Redelivered));
        Assert.Equal(sent.SentAt, received.SentAt);
        Assert.Contains(joined.Members, m => m.User == "bob" && m.Online);

        // The same message as a JSON client sees it.
        var overJson = await carol.WaitForMessageAsync("héllo ✓");
        Assert.Equal(overJson, received);
        // A send to two rooms: one message per room, each with its room and that room's sequence number.
        await bob.WaitForAsync(u => u.Messages.Count(m => m.Text == "both") == 2, "for both rooms' copies");
        var both = bob.Messages.Where(m => m.Text == "both").OrderBy(m => m.Room, StringComparer.Ordinal).ToList();
        Assert.Equal([("general", 2L), ("random", 1L)], both.Select(m => (m.Room!, m.Seq!.Value)));
        Assert.Equal(multi.Id, both[0].Id);
        Assert.Equal(["héllo ✓", "both"], (await bob.Client.GetHistoryAsync("general", null, 10)).Select(m => m.Text));
    }

    [Fact]
    public async Task Over_messagepack_a_notification_payload_arrives_as_the_same_json()
    {
        const string payload = """{"order":{"id":7,"lines":[{"sku":"a-1","qty":2,"price":9.95},{"sku":"b","qty":1e3}],"note":"é \u2028 \"q\"","gift":true,"coupon":null},"tags":[]}""";
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob", o => o.Protocol = HubProtocolFormat.MessagePack);
        await using var carol = await host.NotificationsAsync("carol");
        await bob.Client.JoinRoomAsync("orders");
        await carol.Client.JoinRoomAsync("orders");

        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = new StringContent($$"""{"to":{"room":"orders"},"type":"order.created","payload":{{payload}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(request)).StatusCode);

        await bob.WaitForAsync(u => u.Messages.Count == 1, "for the notification");
        await carol.WaitForAsync(u => u.Messages.Count == 1, "for the notification");
        var overMessagePack = bob.Messages[0].Payload!.Value;
        var overJson = carol.Messages[0].Payload!.Value;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(payload).RootElement, overMessagePack));
        Assert.Equal(overJson.GetRawText(), overMessagePack.GetRawText());
        Assert.Equal("order.created", bob.Messages[0].Type);
    }
}
