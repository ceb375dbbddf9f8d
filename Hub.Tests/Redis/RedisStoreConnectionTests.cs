using System.Collections.Concurrent;
using Hub.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hub.Tests.Redis;

/// <summary>
/// The stores' StackExchange.Redis connections against a real redis-server: failing fast while Redis is down, coming
/// back by themselves, scripts surviving a flushed script cache, and announcements in publish order. Each test owns
/// its redis-server, because several stop and restart it.
/// </summary>
public sealed class RedisStoreConnectionTests
{
    // Far longer than any call below may take: a call that fails fast does not wait for it.
    private static readonly TimeSpan SlowTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task While_redis_is_down_calls_fail_at_once_with_store_unavailable_and_work_again_when_it_is_back()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var connection = RedisStores.Connect(server.ConnectionString, commandTimeout: SlowTimeout);
        await RedisStores.WaitUntilConnectedAsync(connection);
        await RedisStores.CreateRoomAsync(connection);

        await server.StopAsync();
        await Poll.UntilAsync(() => !connection.IsConnected, "the connection noticed Redis is gone");
        await RedisStores.AssertUnavailableAsync(() => RedisStores.CreateRoomAsync(connection), within: TimeSpan.FromSeconds(5));
        await RedisStores.AssertUnavailableAsync(() => connection.RunAsync(db => db.StringGetAsync("k")), within: TimeSpan.FromSeconds(5));

        await server.StartAsync();
        await RedisStores.WaitUntilConnectedAsync(connection);
        // A fresh server: its script cache is empty, so the script is sent again.
        await RedisStores.CreateRoomAsync(connection);
    }

    [Fact]
    public async Task A_node_starting_while_redis_is_down_connects_and_subscribes_when_redis_comes_up()
    {
        await using var server = new RedisServerFixture(); // not started yet: its port is free
        await using var connection = RedisStores.Connect(server.ConnectionString + ",connectTimeout=1000");
        await RedisStores.AssertUnavailableAsync(() => RedisStores.CreateRoomAsync(connection), within: TimeSpan.FromSeconds(5));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await connection.Subscriber.SubscribeAsync("early", m => received.TrySetResult(m!)).OrTimeout();
        Assert.False(connection.IsConnected);

        await server.StartAsync();
        await RedisStores.WaitUntilConnectedAsync(connection);
        Assert.Equal(1, await connection.PublishAsync("early", "hello"));
        Assert.Equal("hello", await received.Task.OrTimeout());
    }

    [Fact]
    public async Task Subscriptions_are_back_by_themselves_after_redis_restarts()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var connection = RedisStores.Connect(server.ConnectionString);
        await RedisStores.WaitUntilConnectedAsync(connection);
        var received = new ConcurrentQueue<string>();
        await using var news = await connection.Subscriber.SubscribeAsync("news", m => received.Enqueue("news:" + m));
        await using var sport = await connection.Subscriber.SubscribeAsync("sport", m => received.Enqueue("sport:" + m));

        await server.RestartAsync();
        await Poll.UntilAsync(async _ => connection.IsConnected && await connection.PublishAsync("news", "probe") == 1, "news is subscribed again");
        await Poll.UntilAsync(async _ => await connection.PublishAsync("sport", "probe") == 1, "sport is subscribed again");
        // Each channel's messages are handled in order, but not in order with another channel's: await both.
        await Poll.UntilAsync(() => received.Contains("sport:probe"), "sport delivered");
        await Poll.UntilAsync(() => received.Contains("news:probe"), "news delivered");
    }

    [Fact]
    public async Task Scripts_run_again_after_script_flush()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var inspector = await server.ConnectInspectorAsync();
        await using var connection = RedisStores.Connect(server.ConnectionString);
        await RedisStores.WaitUntilConnectedAsync(connection);
        await RedisStores.CreateRoomAsync(connection); // the script is now cached by SHA

        await inspector.GetServer(inspector.GetEndPoints()[0]).ScriptFlushAsync();

        var room = await RedisStores.CreateRoomAsync(connection);
        Assert.NotNull(await RedisStores.Rooms(connection).GetAsync("chat", room));
    }

    [Fact]
    public async Task Announcements_are_handled_one_at_a_time_in_publish_order()
    {
        const int Count = 20_000;
        await using var server = await RedisServerFixture.StartNewAsync();
        await using var connection = RedisStores.Connect(server.ConnectionString);
        await RedisStores.WaitUntilConnectedAsync(connection);
        var received = new List<long>(Count);
        var inHandler = 0;
        var overlapped = false;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await connection.Subscriber.SubscribeAsync("ordered", m =>
        {
            overlapped |= Interlocked.Increment(ref inHandler) > 1;
            received.Add((long)m);
            Interlocked.Decrement(ref inHandler);
            if (received.Count == Count)
            {
                all.TrySetResult();
            }
        });

        // Published from another connection in order, pipelined (each PUBLISH is queued before the previous reply).
        await using var publisher = await server.ConnectInspectorAsync();
        var subscriber = publisher.GetSubscriber();
        var publishes = new Task[Count];
        for (var i = 0; i < Count; i++)
        {
            publishes[i] = subscriber.PublishAsync(RedisChannel.Literal("ordered"), i);
        }
        await Task.WhenAll(publishes).OrTimeout();

        await all.Task.OrTimeout();
        Assert.False(overlapped, "The handler ran concurrently with itself.");
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), received);
    }
}
