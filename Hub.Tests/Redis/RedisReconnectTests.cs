using System.Collections.Concurrent;
using System.Text;
using Hub.Redis;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>Each test owns its redis-server, because it stops and restarts it.</summary>
public class RedisReconnectTests
{
    private const string FastRetry = ",reconnectBaseDelay=20,reconnectMaxDelay=200,connectTimeout=1000";

    [Fact]
    public async Task Commands_work_again_after_redis_restarts_and_each_state_change_is_reported_once()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        var logs = new CollectingLoggerFactory();
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString + FastRetry, logs);
        var changes = new ConcurrentQueue<RedisConnectionStateChangedEventArgs>();
        client.ConnectionStateChanged += (_, e) => changes.Enqueue(e);
        await client.ExecuteAsync("SET", "k", "before");

        await server.StopAsync();
        await Poll.UntilAsync(() => !client.IsConnected, "the client noticed the server is gone");
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));
        await Poll.UntilAsync(() => logs.Count(1103) >= 4, "some reconnect attempts failed");

        await server.StartAsync();
        await Poll.UntilAsync(() => client.IsConnected, "the client reconnected");
        Assert.True((await client.ExecuteAsync("GET", "k")).IsNull); // a fresh server: the data is gone
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());

        foreach (var kind in new[] { RedisConnectionKind.Interactive, RedisConnectionKind.Subscription })
        {
            Assert.Equal([false, true], changes.Where(c => c.Connection == kind).Select(c => c.IsConnected));
        }

        Assert.Equal(2, logs.Count(1102)); // "lost": once per connection despite many failed attempts
        Assert.Equal(2, logs.Count(1104)); // "restored": once per connection
    }

    [Fact]
    public async Task Subscriptions_and_scripts_work_again_after_redis_restarts()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString + FastRetry);
        var received = new ConcurrentQueue<string>();
        await using var a = await client.SubscribeAsync("news", (_, p) => received.Enqueue("news:" + Encoding.UTF8.GetString(p.Span)));
        await using var b = await client.SubscribeAsync("sport", (_, p) => received.Enqueue("sport:" + Encoding.UTF8.GetString(p.Span)));
        var script = new RedisScript("return ARGV[1] .. '!'");
        Assert.Equal("hi!", (await client.EvaluateAsync(script, arguments: ["hi"])).AsString());

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionStateChanged += (_, e) =>
        {
            if (e.Connection == RedisConnectionKind.Subscription && e.IsConnected)
            {
                restored.TrySetResult();
            }
        };

        await server.RestartAsync();
        await restored.Task.OrTimeout();
        await Poll.UntilAsync(() => client.IsConnected, "the command connection is back too");

        Assert.Equal(1, await client.PublishAsync("news", "after"u8.ToArray()));
        Assert.Equal(1, await client.PublishAsync("sport", "after"u8.ToArray()));
        await Poll.UntilAsync(() => received.Count == 2, "both resubscribed channels delivered");
        Assert.Equal(["news:after", "sport:after"], received);

        // The restarted server has an empty script cache: NOSCRIPT is handled by falling back to EVAL.
        Assert.Equal("again!", (await client.EvaluateAsync(script, arguments: ["again"])).AsString());
    }

    [Fact]
    public async Task Pending_commands_fail_promptly_when_the_connection_drops()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString + FastRetry + ",syncTimeout=30000");
        var blocked = Enumerable.Range(0, 10).Select(i => client.ExecuteAsync("BLPOP", "empty-list", 20)).ToArray();
        await server.StopAsync();
        foreach (var call in blocked)
        {
            await Assert.ThrowsAnyAsync<RedisConnectionException>(() => call.OrTimeout());
        }
    }

    [Fact]
    public async Task Without_abort_connect_the_client_starts_while_redis_is_down_and_connects_when_it_comes_up()
    {
        await using var server = new RedisServerFixture(); // not started yet: its port is free
        var started = DateTime.UtcNow;
        await using var client = await RedisClient.ConnectAsync($"127.0.0.1:{server.Port},abortConnect=false" + FastRetry).OrTimeout();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));

        // Registered while down; subscribed on connect.
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await client.SubscribeAsync("early", (_, p) => received.TrySetResult(Encoding.UTF8.GetString(p.Span)));

        await server.StartAsync();
        await Poll.UntilAsync(() => client.IsConnected, "the client connected in the background");
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
        Assert.Equal(1, await client.PublishAsync("early", "hello"u8.ToArray()));
        Assert.Equal("hello", await received.Task.OrTimeout());
    }

    [Fact]
    public async Task Endpoints_are_tried_in_order()
    {
        await using var down = new RedisServerFixture();
        await using var up = await RedisServerFixture.StartNewAsync();
        await using var client = await RedisClient.ConnectAsync($"127.0.0.1:{down.Port},127.0.0.1:{up.Port}");
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Disposing_the_client_fails_pending_commands_instead_of_hanging()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        var client = await RedisClient.ConnectAsync(server.ConnectionString + ",syncTimeout=30000");
        await using var subscription = await client.SubscribeAsync("x", (_, _) => { });
        var blocked = client.ExecuteAsync("BLPOP", "empty-list", 20);
        await client.DisposeAsync().AsTask().OrTimeout();
        await Assert.ThrowsAnyAsync<RedisConnectionException>(() => blocked.OrTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ExecuteAsync("PING"));
    }
}
