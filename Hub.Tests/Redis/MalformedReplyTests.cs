using Hub.Tests.Infrastructure;
using System.Net.Sockets;
using System.Text;
using Hub.Redis;

namespace Hub.Tests.Redis;

/// <summary>Against a fake server that sends broken replies: callers must fail promptly, never hang.</summary>
public class MalformedReplyTests
{
    [Theory]
    [InlineData("?garbage\r\n")]
    [InlineData("$abc\r\n")]
    [InlineData("*-7\r\n")]
    [InlineData("$3\r\nabcdef\r\n")]
    public async Task A_malformed_reply_fails_the_pending_caller_with_a_protocol_error(string reply)
    {
        await using var server = new FakeRedisServer((stream, ct) => Send(stream, reply, ct));
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString());
        var ex = await Assert.ThrowsAsync<RedisProtocolException>(() => client.ExecuteAsync("GET", "k").OrTimeout());
        Assert.IsAssignableFrom<RedisConnectionException>(ex);
    }

    [Fact]
    public async Task A_reply_truncated_by_a_closed_socket_fails_the_caller()
    {
        await using var server = new FakeRedisServer(async (stream, ct) =>
        {
            await Send(stream, "$10\r\nabc", ct);
            stream.Socket.Close();
        });
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString());
        await Assert.ThrowsAnyAsync<RedisConnectionException>(() => client.ExecuteAsync("GET", "k").OrTimeout());
    }

    [Fact]
    public async Task A_reply_that_stops_halfway_times_out_and_resets_the_connection()
    {
        await using var server = new FakeRedisServer((stream, ct) => Send(stream, "$10\r\nabc", ct));
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString(",syncTimeout=300"));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<RedisTimeoutException>(() => client.ExecuteAsync("GET", "k").OrTimeout());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_unsolicited_reply_fails_the_connection_instead_of_shifting_replies()
    {
        // Two replies for one command: the second would be handed to the next caller if not caught.
        await using var server = new FakeRedisServer((stream, ct) => Send(stream, "+first\r\n+second\r\n", ct));
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString());
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionStateChanged += (_, e) =>
        {
            if (e.Connection == RedisConnectionKind.Interactive && !e.IsConnected)
            {
                lost.TrySetResult(e.Exception);
            }
        };
        var first = await client.ExecuteAsync("GET", "k").OrTimeout();
        Assert.Equal("first", first.AsString());
        // Reported as lost (it reconnects at once, so IsConnected may already be true again).
        Assert.IsType<RedisProtocolException>(await lost.Task.OrTimeout());
    }

    [Fact]
    public async Task Many_pending_callers_all_fail_promptly_when_the_reply_stream_is_corrupt()
    {
        await using var server = new FakeRedisServer((stream, ct) => Send(stream, ":1\r\n\x01\x02garbage", ct));
        await using var client = await RedisClient.ConnectAsync(server.ConnectionString());
        var calls = Enumerable.Range(0, 20).Select(i => Task.Run(() => client.ExecuteAsync("INCR", "k" + i))).ToArray();
        await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default).OrTimeout();
        foreach (var call in calls)
        {
            Assert.True(call.IsCompletedSuccessfully || call.Exception?.InnerException is RedisConnectionException, call.Exception?.ToString());
        }

        Assert.Contains(calls, c => c.IsFaulted);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_with_abort_connect_fails_fast()
    {
        int port;
        using (var listener = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{port},connectTimeout=1000").OrTimeout());
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    private static async Task Send(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
