using System.Collections.Concurrent;
using System.Text;
using Hub.Redis;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>Commands, batches, scripts and pub/sub against one shared real redis-server.</summary>
public class RedisClientTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly RedisServerFixture _server;
    private RedisClient _client = null!;

    public RedisClientTests(RedisServerFixture server) => _server = server;

    public async Task InitializeAsync() => _client = await RedisClient.ConnectAsync(_server.ConnectionString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Basic_commands_round_trip()
    {
        var key = Key();
        Assert.True(_client.IsConnected);
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING")).AsString());
        Assert.Equal(RedisResult.Ok, await _client.ExecuteAsync("SET", key, "héllo"));
        Assert.Equal("héllo", (await _client.ExecuteAsync("GET", key)).AsString());
        Assert.True((await _client.ExecuteAsync("GET", Key())).IsNull);
        Assert.Equal(5, (await _client.ExecuteAsync("INCRBY", Key(), 5)).AsInt64());
        Assert.Equal(1, (await _client.ExecuteAsync("DEL", key)).AsInt64());
        var list = (await _client.ExecuteAsync("EVAL", "return {1, 'two', {3}}", 0)).AsArray();
        Assert.Equal(3, list[2][0].AsInt64());
    }

    [Fact]
    public async Task Binary_values_round_trip_unchanged()
    {
        var key = Key();
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await _client.ExecuteAsync("SET", key, payload);
        Assert.Equal(payload, (await _client.ExecuteAsync("GET", key)).AsBytes());
    }

    [Fact]
    public async Task Doubles_are_sent_as_redis_numbers()
    {
        var key = Key();
        await _client.ExecuteAsync("ZADD", key, 1.5, "a", double.PositiveInfinity, "b");
        Assert.Equal(1.5, (await _client.ExecuteAsync("ZSCORE", key, "a")).AsDouble());
        Assert.Equal(double.PositiveInfinity, (await _client.ExecuteAsync("ZSCORE", key, "b")).AsDouble());
    }

    [Fact]
    public async Task Pipelined_commands_from_many_callers_get_their_own_replies()
    {
        var prefix = Key();
        var workers = Enumerable.Range(0, 50).Select(worker => Task.Run(async () =>
        {
            var counter = $"{prefix}:counter:{worker}";
            var value = $"{prefix}:value:{worker}";
            for (var i = 1; i <= 200; i++)
            {
                var expected = $"w{worker}-{i}";
                var set = _client.ExecuteAsync("SET", value, expected);
                var incr = _client.ExecuteAsync("INCR", counter);
                var get = _client.ExecuteAsync("GET", value);
                await set;
                Assert.Equal(i, (await incr).AsInt64());
                Assert.Equal(expected, (await get).AsString());
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Batch_returns_replies_in_order_with_errors_in_place()
    {
        var key = Key();
        var results = await _client.ExecuteBatchAsync(
        [
            new RedisCommand("SET", key, 10),
            new RedisCommand("INCR", key),
            new RedisCommand("HGET", key, "field"),
            new RedisCommand("GET", key),
        ]);
        Assert.Equal(4, results.Count);
        Assert.Equal("OK", results[0].AsString());
        Assert.Equal(11, results[1].AsInt64());
        Assert.True(results[2].IsError);
        Assert.StartsWith("WRONGTYPE", results[2].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("11", results[3].AsString());
    }

    [Fact]
    public async Task A_transaction_inside_one_batch_is_atomic_and_not_interleaved()
    {
        var key = Key();
        var noise = Enumerable.Range(0, 100).Select(_ => _client.ExecuteAsync("INCR", Key())).ToArray();
        var results = await _client.ExecuteBatchAsync(
        [
            new RedisCommand("MULTI"),
            new RedisCommand("INCR", key),
            new RedisCommand("INCR", key),
            new RedisCommand("EXEC"),
        ]);
        await Task.WhenAll(noise);
        Assert.Equal("QUEUED", results[1].AsString());
        Assert.Equal([1L, 2L], results[3].AsArray().Select(r => r.AsInt64()));
    }

    [Fact]
    public async Task Server_errors_are_RedisServerException_and_the_connection_stays_usable()
    {
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => _client.ExecuteAsync("NOSUCHCOMMAND", "x"));
        Assert.StartsWith("ERR unknown command", ex.Message, StringComparison.Ordinal);
        Assert.Equal("ERR", ex.ErrorCode);

        var key = Key();
        await _client.ExecuteAsync("SET", key, "text");
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(() => _client.ExecuteAsync("LPUSH", key, "x"));
        Assert.Equal("WRONGTYPE", wrongType.ErrorCode);

        Assert.Equal("PONG", (await _client.ExecuteAsync("PING")).AsString());
        Assert.True(_client.IsConnected);
    }

    [Fact]
    public async Task Commands_that_would_break_the_shared_connection_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ExecuteAsync("SUBSCRIBE", "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ExecuteAsync("select", 1));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ExecuteAsync("MULTI"));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.ExecuteBatchAsync([default]));
    }

    [Fact]
    public async Task Script_runs_with_evalsha_and_falls_back_to_eval_when_not_cached()
    {
        var script = new RedisScript("redis.call('SET', KEYS[1], ARGV[1]) return {KEYS[1], ARGV[1], tonumber(ARGV[2]) + 1}");
        var key = Key();
        await _client.ExecuteAsync("SCRIPT", "FLUSH");

        var result = await _client.EvaluateAsync(script, [key], ["value", 41]);
        Assert.Equal(key, result[0].AsString());
        Assert.Equal("value", result[1].AsString());
        Assert.Equal(42, result[2].AsInt64());
        Assert.Equal(1, (await _client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1))[0].AsInt64());

        // Cached now: EVALSHA succeeds directly.
        Assert.Equal(42, (await _client.EvaluateAsync(script, [key], ["other", 41]))[2].AsInt64());
        Assert.Equal("other", (await _client.ExecuteAsync("GET", key)).AsString());

        await _client.ExecuteAsync("SCRIPT", "FLUSH");
        Assert.Equal(42, (await _client.EvaluateAsync(script, [key], ["again", 41]))[2].AsInt64());
    }

    [Fact]
    public async Task Script_errors_are_RedisServerException()
    {
        var script = new RedisScript("return redis.error_reply('MYERR custom failure')");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => _client.EvaluateAsync(script));
        Assert.Equal("MYERR custom failure", ex.Message);
    }

    [Fact]
    public async Task Published_messages_reach_the_handler_in_order()
    {
        var channel = Key();
        var received = new ConcurrentQueue<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await _client.SubscribeAsync(channel, (ch, payload) =>
        {
            Assert.Equal(channel, ch);
            received.Enqueue(Encoding.UTF8.GetString(payload.Span));
            if (received.Count == 500)
            {
                all.TrySetResult();
            }
        });

        var batch = Enumerable.Range(0, 250).Select(i => new RedisCommand("PUBLISH", channel, "m" + i)).ToArray();
        var counts = await _client.ExecuteBatchAsync(batch);
        Assert.All(counts, c => Assert.Equal(1, c.AsInt64()));
        for (var i = 250; i < 500; i++)
        {
            await _client.PublishAsync(channel, Encoding.UTF8.GetBytes("m" + i));
        }

        await all.Task.OrTimeout();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => "m" + i), received);
    }

    [Fact]
    public async Task Handlers_share_one_server_subscription_and_the_last_unsubscribe_removes_it()
    {
        var channel = Key();
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        var subscriptionA = await _client.SubscribeAsync(channel, (_, p) => first.Enqueue(Encoding.UTF8.GetString(p.Span)));
        var subscriptionB = await _client.SubscribeAsync(channel, (_, p) => second.Enqueue(Encoding.UTF8.GetString(p.Span)));

        Assert.Equal(1, await NumberOfSubscribers(channel));
        Assert.Equal(1, await _client.PublishAsync(channel, "one"u8.ToArray()));
        await Poll.UntilAsync(() => first.Count == 1 && second.Count == 1, "both handlers got the message");

        await subscriptionA.DisposeAsync();
        await subscriptionA.DisposeAsync(); // twice is harmless
        Assert.Equal(1, await NumberOfSubscribers(channel));
        await _client.PublishAsync(channel, "two"u8.ToArray());
        await Poll.UntilAsync(() => second.Count == 2, "the remaining handler got the message");
        Assert.Single(first);

        await subscriptionB.DisposeAsync();
        Assert.Equal(0, await NumberOfSubscribers(channel));
        Assert.Equal(0, await _client.PublishAsync(channel, "three"u8.ToArray()));
    }

    [Fact]
    public async Task A_throwing_handler_does_not_stop_delivery()
    {
        var channel = Key();
        var delivered = new ConcurrentQueue<string>();
        await using var bad = await _client.SubscribeAsync(channel, (_, _) => throw new InvalidOperationException("boom"));
        await using var good = await _client.SubscribeAsync(channel, (_, p) => delivered.Enqueue(Encoding.UTF8.GetString(p.Span)));
        await _client.PublishAsync(channel, "a"u8.ToArray());
        await _client.PublishAsync(channel, "b"u8.ToArray());
        await Poll.UntilAsync(() => delivered.Count == 2, "both messages were delivered");
        Assert.Equal(["a", "b"], delivered);
        Assert.True(_client.IsConnected);
    }

    [Fact]
    public async Task Payload_may_be_kept_after_the_handler_returns()
    {
        var channel = Key();
        var kept = new ConcurrentQueue<ReadOnlyMemory<byte>>();
        await using var subscription = await _client.SubscribeAsync(channel, (_, p) => kept.Enqueue(p));
        for (var i = 0; i < 50; i++)
        {
            await _client.PublishAsync(channel, Encoding.UTF8.GetBytes($"payload-{i}"));
        }

        await Poll.UntilAsync(() => kept.Count == 50, "all messages arrived");
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"payload-{i}"), kept.Select(m => Encoding.UTF8.GetString(m.Span)));
    }

    [Fact]
    public async Task Default_database_and_client_name_are_applied_on_connect()
    {
        var key = Key();
        await using var db3 = await RedisClient.ConnectAsync(_server.ConnectionString + ",defaultDatabase=3,name=hub-test");
        await db3.ExecuteAsync("SET", key, "in-db-3");
        Assert.True((await _client.ExecuteAsync("GET", key)).IsNull);
        Assert.Equal("in-db-3", (await db3.ExecuteAsync("GET", key)).AsString());
        Assert.Contains(" db=3 ", (await db3.ExecuteAsync("CLIENT", "INFO")).AsString(), StringComparison.Ordinal);
        Assert.Equal("hub-test", (await db3.ExecuteAsync("CLIENT", "GETNAME")).AsString());
    }

    [Fact]
    public async Task A_command_that_times_out_throws_RedisTimeoutException_and_the_client_recovers()
    {
        await using var client = await RedisClient.ConnectAsync(_server.ConnectionString + ",syncTimeout=200,reconnectMaxDelay=100");
        var started = DateTime.UtcNow;
        // BLPOP blocks on the server for 5 s, far past the 200 ms command timeout.
        var ex = await Assert.ThrowsAsync<RedisTimeoutException>(() => client.ExecuteAsync("BLPOP", Key(), 5));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "the timeout fired late");
        Assert.Contains("BLPOP", ex.Message, StringComparison.Ordinal);

        // The connection was reset rather than left out of step; it comes back by itself.
        await Poll.UntilAsync(() => client.IsConnected, "the client reconnected");
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Cancelling_a_caller_does_not_disturb_later_replies()
    {
        var key = Key();
        using var cancelled = new CancellationTokenSource();
        // The script holds Redis for 1 s, so the cancel below surely comes before its reply, even on a loaded machine.
        var blocked = _client.ExecuteAsync("EVAL", ["local t = redis.call('TIME') while true do local n = redis.call('TIME') if (n[1] - t[1]) * 1000000 + n[2] - t[2] > 1000000 then return 'slow' end end", 0], cancelled.Token);
        var after = _client.ExecuteAsync("SET", [key, "after"], CancellationToken.None);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        Assert.Equal("OK", (await after).AsString());
        Assert.Equal("after", (await _client.ExecuteAsync("GET", key)).AsString());
    }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");

    private async Task<long> NumberOfSubscribers(string channel) =>
        (await _client.ExecuteAsync("PUBSUB", "NUMSUB", channel))[1].AsInt64();
}
