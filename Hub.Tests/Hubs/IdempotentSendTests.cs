using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>Sends with an idempotency key: a retry after a lost answer returns the first result and stores nothing new.</summary>
public sealed class IdempotentSendTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The answer really lost: alice's raw WebSocket sends a keyed <c>Send</c> and is aborted once bob has the message
    /// (so the server stored it) without alice ever reading the result; alice reconnects (to <paramref name="retryNode"/>)
    /// and retries with the same key. Both must see the message exactly once, and the retry's result is the first id.
    /// </summary>
    internal static async Task LostAnswerIsRetriedWithItsKeyAsync(HubTestHost firstNode, HubTestHost retryNode)
    {
        await using (var setup = await firstNode.ChatAsync("alice"))
        {
            await setup.Client.CreateRoomAsync("general");
        }
        await using var bob = await firstNode.ChatAsync("bob");
        await bob.Client.JoinRoomAsync("general");

        const string key = "retry-me-0001";
        using (var socket = await RawSocketAsync(firstNode, "alice"))
        {
            var invocation = JsonSerializer.Serialize(new
            {
                type = 1,
                invocationId = "1",
                target = HubMethods.Send,
                arguments = new object[] { new SendRequest("only once", Room: "general", Key: key) },
            }, Json);
            await socket.SendAsync(Encoding.UTF8.GetBytes(invocation + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
            await bob.WaitForMessageAsync("only once");
            // The completion is on its way or in the socket's buffer, never read: the answer is lost.
            socket.Abort();
        }
        var delivered = bob.Messages.Single(m => m.Text == "only once");

        await using var alice = await retryNode.ChatAsync("alice");
        var retried = await alice.Client.SendToRoomAsync("general", "only once", key);
        await alice.Client.SendToRoomAsync("general", "marker");
        await bob.WaitForMessageAsync("marker");
        await alice.WaitForMessageAsync("marker");

        Assert.Equal((delivered.Id, delivered.SentAt), (retried.Id, retried.SentAt));
        Assert.Equal(["only once", "marker"], bob.Messages.Select(m => m.Text));
        Assert.Equal(["only once", "marker"], alice.Messages.Select(m => m.Text));
        Assert.True(alice.Messages[0].Redelivered);
    }

    [Fact]
    public async Task A_send_whose_answer_was_lost_is_retried_with_its_key_and_every_recipient_has_it_once()
    {
        await using var host = await HubTestHost.StartAsync();
        await LostAnswerIsRetriedWithItsKeyAsync(host, host);
    }

    [Fact]
    public async Task Every_send_method_of_the_client_retried_with_its_key_returns_the_first_result_and_delivers_once_per_room()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("a");
        await alice.Client.CreateRoomAsync("b");
        await bob.Client.JoinRoomAsync("a");
        await bob.Client.JoinRoomAsync("b");

        var sends = new (string Text, Func<string, Task<SendResult>> Send)[]
        {
            ("room", key => alice.Client.SendToRoomAsync("a", "room", key)),
            ("rooms", key => alice.Client.SendToRoomsAsync(["a", "b"], "rooms", key)),
            ("direct", key => alice.Client.SendToUserAsync("bob", "direct", key)),
            ("broadcast", key => alice.Client.BroadcastAsync("broadcast", key)),
            ("request", key => alice.Client.SendAsync(new SendRequest("request", User: "bob", Key: key))),
        };
        foreach (var (text, send) in sends)
        {
            var key = ChatClient.NewSendKey();
            var first = await send(key);
            var retry = await send(key);
            Assert.Equal(first, retry);
        }
        await alice.Client.SendToUserAsync("bob", "marker");
        await bob.WaitForMessageAsync("marker");

        // A send to two rooms is one message per room: bob, in both, gets it twice (once per room), and only once each.
        Assert.Equal(["room", "rooms", "rooms", "direct", "broadcast", "request", "marker"], bob.Messages.Select(m => m.Text));
        Assert.Equal(["a", "b"], bob.Messages.Where(m => m.Text == "rooms").Select(m => m.Room).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sends_without_a_key_are_stored_each_time_as_before()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.ChatAsync("bob");
        await using var alice = await host.RawChatAsync("alice");

        var first = await alice.InvokeAsync<SendResult>(HubMethods.SendToUser, ["bob", "twice"]).OrTimeout();
        var second = await alice.InvokeAsync<SendResult>(HubMethods.Send, [new SendRequest("twice", User: "bob")]).OrTimeout();
        var third = await bob.Client.SendToUserAsync("alice", "marker");

        await bob.WaitForMessageAsync("marker");
        Assert.Equal([first.Id, second.Id, third.Id], bob.Messages.Select(m => m.Id));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\t")]
    [InlineData("k12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task A_bad_key_is_refused_with_what_a_key_may_be(string key)
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "hi", key));

        Assert.Equal("Invalid idempotency key: use 1-64 printable ASCII characters without spaces ('!' to '~').", error.Message);
        Assert.Equal(HubErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task A_key_reused_for_a_different_message_is_refused()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "first", "k-1");

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "second", "k-1"));

        Assert.Contains("Idempotency key 'k-1' was already used for a different message", error.Message);
    }

    [Theory]
    [InlineData("""{"text":"hi"}""")]
    [InlineData("""{"text":"hi","room":"general","user":"bob"}""")]
    [InlineData("""{"text":"hi","broadcast":true,"rooms":["general"]}""")]
    public async Task A_send_request_must_name_exactly_one_target(string request)
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.RawChatAsync("alice");

        var error = await Assert.ThrowsAsync<HubInvocationException>(() =>
            alice.InvokeAsync<SendResult>(HubMethods.Send, [JsonDocument.Parse(request).RootElement]).OrTimeout());

        // The raw wire text: SignalR's prefix, the server's words, Hub's code suffix.
        Assert.EndsWith("HubException: A send must name exactly one of room, rooms, user or broadcast. [invalid_argument]", error.Message);
    }

    private static async Task<ClientWebSocket> RawSocketAsync(HubTestHost host, string user)
    {
        var token = await host.TokenAsync(user);
        var socket = new ClientWebSocket();
        var url = new UriBuilder(new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/'))) { Scheme = "ws", Query = "access_token=" + token };
        await socket.ConnectAsync(url.Uri, CancellationToken.None).OrTimeout();
        await socket.SendAsync("""{"protocol":"json","version":1}"""u8.ToArray().Append((byte)0x1e).ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        // The handshake answer ({} and a record separator) is the only thing read from this socket.
        var buffer = new byte[1024];
        var read = await socket.ReceiveAsync(buffer, CancellationToken.None).OrTimeout();
        Assert.StartsWith("{}", Encoding.UTF8.GetString(buffer, 0, read.Count));
        return socket;
    }
}
