using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Hub.Client;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hub.Tests.Backplane;

/// <summary>
/// The contract against SignalR's Redis backplane with Hub's <c>HubBackplane</c> on top: two Kestrel nodes sharing one real redis-server with the
/// same prefix, plus what only a distributed backplane has (Redis traffic, subscriptions, prefixes, timeouts),
/// checked by asking Redis itself.
/// </summary>
public sealed class RedisBackplaneTests(RedisServerFixture redis) : BackplaneContractTests, IClassFixture<RedisServerFixture>
{
    // Short, so the "exists nowhere" case does not slow the suite; real acks take milliseconds on loopback.
    private static readonly Dictionary<string, string?> ClusterSettings = new() { ["GroupAckTimeout"] = "00:00:01.5" };

    // Every test gets its own prefix: the redis-server is shared by the class, the channels are not.
    private readonly string _prefix = "test" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<BackplaneNode> _extraNodes = [];
    private ConnectionMultiplexer? _inspector;

    protected override async Task<(BackplaneNode A, BackplaneNode B)> StartNodesAsync()
    {
        var a = await BackplaneNode.StartRedisAsync(redis.ConnectionString, _prefix, ClusterSettings, AddCountingProtocol);
        var b = await BackplaneNode.StartRedisAsync(redis.ConnectionString, _prefix, ClusterSettings, AddCountingProtocol);
        return (a, b);
    }

    [Fact]
    public async Task Sends_through_the_hub_context_to_local_connections_never_touch_redis()
    {
        var a1 = await ConnectAsync(NodeA);
        var a2 = await ConnectAsync(NodeA);
        var publishesBefore = await CountPublishesAsync();

        // The delivery path's call: every id is local to the node.
        await NodeA.HubContext.Clients.Clients([a1.ConnectionId, a2.ConnectionId]).SendCoreAsync(BackplaneTestHub.ReceiveEvent, ["local"]);
        await NodeA.HubContext.Clients.Client(a1.ConnectionId).SendCoreAsync(BackplaneTestHub.ReceiveEvent, ["single"]);

        Assert.Equal(["local"], await a2.Received.WaitForAsync("local"));
        Assert.Equal(["local", "single"], await a1.Received.WaitForAsync("single"));
        Assert.Equal(publishesBefore, await CountPublishesAsync());
        // Serialized once, in the one protocol the receivers use: the other protocol was never touched.
        Assert.Equal(0, CountingProtocolOf(NodeA).Serializations);
    }

    [Fact]
    public async Task A_message_for_many_receivers_is_serialized_once_per_protocol_and_only_by_the_sender()
    {
        var sender = await ConnectAsync(NodeA);
        var receivers = new[] { await ConnectAsync(NodeA), await ConnectAsync(NodeB), await ConnectAsync(NodeB) };

        await sender.InvokeAsync(nameof(BackplaneTestHub.SendAll), "broadcast");

        foreach (var receiver in receivers)
        {
            await receiver.Received.WaitForAsync("broadcast");
        }

        Assert.Equal(1, CountingProtocolOf(NodeA).Serializations);
        Assert.Equal(0, CountingProtocolOf(NodeB).Serializations);
    }

    [Fact]
    public async Task A_connection_that_stops_reading_is_dropped_and_releases_its_backplane_channels()
    {
        var a = await StartExtraNodeAsync(_prefix);
        var b = await StartExtraNodeAsync(_prefix);

        // A raw client on node A that completes the handshake and then never reads again.
        using var stalled = new ClientWebSocket();
        var url = new UriBuilder(a.HubUrl) { Scheme = "ws", Query = "user=stalled" }.Uri;
        await stalled.ConnectAsync(url, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await stalled.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var handshake = await stalled.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(buffer, 0, handshake.Count));
        await Poll.UntilAsync(async _ => await CountSubscribersAsync(UserChannel("stalled")) == 1, "node A subscribed the user's channel");

        // From node B, more than the loopback socket buffers hold: node A's writes to the client stall, and SignalR drops
        // the connection after its transport send timeout (BackplaneNode: 2 s). Redis must not cut node A's subscriber
        // for the volume (its pubsub output limit would also empty the channel), so that limit is lifted meanwhile.
        var inspector = await GetInspectorAsync();
        var db = inspector.GetDatabase();
        var limit = ((RedisResult[])(await db.ExecuteAsync("CONFIG", "GET", "client-output-buffer-limit"))!)[1].ToString();
        await db.ExecuteAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0");
        try
        {
            var chunk = new string('x', 64 * 1024);
            for (var i = 0; i < 400; i++)
            {
                await b.HubContext.Clients.User("stalled").SendAsync(BackplaneTestHub.ReceiveEvent, chunk);
            }

            // The backplane forgets the dropped connection: node A releases the user's channel.
            await Poll.UntilAsync(async _ => await CountSubscribersAsync(UserChannel("stalled")) == 0, "node A aborted the stalled connection");
        }
        finally
        {
            await db.ExecuteAsync("CONFIG", "SET", "client-output-buffer-limit", limit);
        }
    }

    [Fact]
    public async Task A_group_channel_is_subscribed_once_per_node_exactly_while_the_node_has_members()
    {
        var a = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);
        var channel = GroupChannel("shared");
        Assert.Equal(0, await CountSubscribersAsync(channel));

        await JoinAsync(b1, "shared");
        await JoinAsync(b2, "shared");
        Assert.Equal(1, await CountSubscribersAsync(channel));

        await a.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), a.ConnectionId, "shared");
        Assert.Equal(2, await CountSubscribersAsync(channel));

        // Remote removals are acked only after the owner unsubscribed, so the count is exact right after each call.
        await a.InvokeAsync(nameof(BackplaneTestHub.RemoveFromGroup), b1.ConnectionId, "shared");
        Assert.Equal(2, await CountSubscribersAsync(channel));
        await a.InvokeAsync(nameof(BackplaneTestHub.RemoveFromGroup), b2.ConnectionId, "shared");
        Assert.Equal(1, await CountSubscribersAsync(channel));
        await a.InvokeAsync(nameof(BackplaneTestHub.RemoveFromGroup), a.ConnectionId, "shared");
        Assert.Equal(0, await CountSubscribersAsync(channel));
    }

    [Fact]
    public async Task Group_and_user_channels_are_released_when_the_last_local_member_disconnects()
    {
        var b = await BackplaneTestClient.ConnectAsync(NodeB.HubUrl, "frank");
        await JoinAsync(b, "left-behind");
        Assert.Equal(1, await CountSubscribersAsync(GroupChannel("left-behind")));
        Assert.Equal(1, await CountSubscribersAsync(UserChannel("frank")));
        Assert.Equal(1, await CountSubscribersAsync(ConnectionChannel(b.ConnectionId)));

        await b.DisposeAsync();

        // The server finishes its disconnect work after the client has seen the close, so wait for Redis to
        // report it; each check is a round trip to Redis, not a sleep.
        await WaitUntilAsync(async () =>
            await CountSubscribersAsync(GroupChannel("left-behind")) == 0
            && await CountSubscribersAsync(UserChannel("frank")) == 0
            && await CountSubscribersAsync(ConnectionChannel(b.ConnectionId)) == 0);
    }

    [Fact]
    public async Task Deployments_with_different_prefixes_sharing_one_redis_do_not_hear_each_other()
    {
        var otherPrefix = _prefix + "other";
        var otherSender = await StartExtraNodeAsync(otherPrefix);
        var otherReceiverNode = await StartExtraNodeAsync(otherPrefix);
        var a = await ConnectAsync(NodeA, "grace");
        var b = await ConnectAsync(NodeB, "grace");
        var other = await ConnectAsync(otherReceiverNode, "grace");
        var otherPeer = await ConnectAsync(otherSender);
        await JoinAsync(b, "everywhere");
        await JoinAsync(other, "everywhere");

        await a.InvokeAsync(nameof(BackplaneTestHub.SendAll), "ours-all");
        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "everywhere", "ours-group");
        await a.InvokeAsync(nameof(BackplaneTestHub.SendUser), "grace", "ours-user");
        await b.Received.WaitForAsync("ours-user");

        // The marker travels through Redis inside the other deployment, after everything above was published.
        var seen = await MarkAsync(otherPeer, other);
        Assert.Equal(["marker"], seen);
    }

    [Fact]
    public async Task A_client_result_that_never_comes_fails_after_the_client_result_timeout()
    {
        var settings = new Dictionary<string, string?>(ClusterSettings) { ["ClientResultTimeout"] = "00:00:01" };
        var caller = await ConnectAsync(await StartExtraNodeAsync(_prefix, settings));
        await using var silent = await ResultAnsweringClient.ConnectAsync(NodeB.HubUrl, answer: false);

        var error = await Assert.ThrowsAsync<HubInvocationException>(
            () => caller.InvokeAsync<string>(nameof(BackplaneTestHub.AskClient), silent.ConnectionId, "hello?"));

        Assert.Contains($"Connection '{silent.ConnectionId}' did not return a result within", error.Message);
        Assert.Equal("hello?", await silent.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_malformed_backplane_message_is_dropped_and_later_messages_still_arrive()
    {
        var a = await ConnectAsync(NodeA);
        var b = await ConnectAsync(NodeB);
        var inspector = await GetInspectorAsync();

        await inspector.GetSubscriber().PublishAsync(RedisChannel.Literal(AllChannel()), new byte[] { 99, 1, 2, 3 });
        await inspector.GetSubscriber().PublishAsync(RedisChannel.Literal(ConnectionChannel(b.ConnectionId)), new byte[] { 1 });

        Assert.Equal(["marker"], await MarkAsync(a, b));
    }

    public override async Task DisposeAsync()
    {
        foreach (var node in _extraNodes)
        {
            await node.DisposeAsync();
        }

        if (_inspector is not null)
        {
            await _inspector.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private static void AddCountingProtocol(IServiceCollection services) =>
        services.AddSingleton<IHubProtocol, CountingHubProtocol>();

    private static CountingHubProtocol CountingProtocolOf(BackplaneNode node) =>
        node.Services.GetServices<IHubProtocol>().OfType<CountingHubProtocol>().Single();

    // SignalR's Redis backplane names its channels {hub type}:{kind}:{name}, under our prefix.
    private string Channel(string suffix) => $"{new RedisKeys(_prefix).BackplanePrefix}{typeof(BackplaneTestHub).FullName}:{suffix}";

    private string AllChannel() => Channel("all");

    private string GroupChannel(string group) => Channel("group:" + group);

    private string UserChannel(string user) => Channel("user:" + user);

    private string ConnectionChannel(string connectionId) => Channel("connection:" + connectionId);

    private async Task<BackplaneNode> StartExtraNodeAsync(string prefix, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = await BackplaneNode.StartRedisAsync(redis.ConnectionString, prefix, settings ?? ClusterSettings);
        _extraNodes.Add(node);
        return node;
    }

    private async Task<ConnectionMultiplexer> GetInspectorAsync() => _inspector ??= await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");

    private async Task<long> CountSubscribersAsync(string channel)
    {
        var reply = (RedisResult[])(await (await GetInspectorAsync()).GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }

    private async Task<long> CountPublishesAsync()
    {
        var info = (await (await GetInspectorAsync()).GetDatabase().ExecuteAsync("INFO", "commandstats")).ToString();
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_publish:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split([':', ','])[1];
        return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 10 s.");
            await Task.Yield();
        }
    }
}
