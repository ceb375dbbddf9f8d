using System.Net;
using Hub.Client;
using Hub.Client.Protocol;

namespace Hub.Tests.Client;

/// <summary>The protocol layer against a real Kestrel server: ASP.NET Core's own hub and raw WebSocket endpoints.</summary>
public sealed class HubProtocolConnectionTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Invocation_returns_the_typed_result()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = await ConnectAsync(host);

        Assert.Equal("hello", await connection.InvokeAsync<string>("Echo", ["hello"]));
        Assert.Equal(5, await connection.InvokeAsync<int>("Add", [2, 3]));
    }

    [Fact]
    public async Task A_websocket_refused_with_404_after_negotiating_is_retried_with_a_fresh_negotiation()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.UnknownNegotiations = 2;

        await using var connection = await ConnectAsync(host);

        Assert.Equal("hello", await connection.InvokeAsync<string>("Echo", ["hello"]));
        Assert.Equal(3, host.State.Negotiations);
    }

    [Fact]
    public async Task Negotiating_stops_after_the_configured_attempts_and_reports_the_404()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.UnknownNegotiations = 10;
        await using var connection = new HubProtocolConnection(host.Url("/protocol"), new HubProtocolConnectionOptions { NegotiateAttempts = 2 });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => connection.StartAsync().WaitAsync(s_wait));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, host.State.Negotiations);
    }

    [Fact]
    public async Task Invocation_error_surfaces_the_server_message()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = await ConnectAsync(host);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => connection.InvokeAsync<string>("Fail", ["room is full"]));

        // ASP.NET Core's own wording around the HubException's message, passed through unchanged.
        Assert.Equal("An unexpected error occurred invoking 'Fail' on the server. HubException: room is full", error.Message);
        Assert.Equal("ok", await connection.InvokeAsync<string>("Echo", ["ok"]));
    }

    [Fact]
    public async Task Invoking_a_missing_hub_method_fails_only_that_call()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = await ConnectAsync(host);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => connection.InvokeAsync("NoSuchMethod", []));

        Assert.Contains("NoSuchMethod", error.Message);
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task Server_invocations_reach_the_handler_with_typed_arguments()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"));
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<string>("Notice", received.SetResult);
        await connection.StartAsync();

        await connection.InvokeAsync("SendEventToCaller", ["Notice", "payload"]);

        Assert.Equal("payload", await received.Task.WaitAsync(s_wait));
    }

    [Fact]
    public async Task Server_invocations_are_dispatched_in_the_order_sent()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"));
        var sequence = new EventCollector<int>();
        connection.On<int>("Seq", sequence.Add);
        await connection.StartAsync();

        await connection.InvokeAsync("SendSequence", [500]);

        Assert.Equal(Enumerable.Range(0, 500), await sequence.WaitForCountAsync(500));
    }

    [Fact]
    public async Task Unknown_targets_and_throwing_handlers_do_not_break_the_connection()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"));
        var after = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<string>("Boom", _ => throw new InvalidOperationException("handler bug"));
        connection.On<string>("After", after.SetResult);
        await connection.StartAsync();

        await connection.InvokeAsync("SendEventToCaller", ["Unregistered", "x"]);
        await connection.InvokeAsync("SendEventToCaller", ["Boom", "x"]);
        await connection.InvokeAsync("SendEventToCaller", ["After", "still here"]);

        Assert.Equal("still here", await after.Task.WaitAsync(s_wait));
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task A_handler_can_await_an_invocation_on_its_own_connection()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"));
        var echoed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On("Notice", [typeof(string)], async args =>
            echoed.SetResult(await connection.InvokeAsync<string>("Echo", ["from handler " + args[0]])));
        await connection.StartAsync();

        await connection.InvokeAsync("SendEventToCaller", ["Notice", "1"]);

        Assert.Equal("from handler 1", await echoed.Task.WaitAsync(s_wait));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connects_with_and_without_negotiation_and_passes_the_token_and_query(bool skipNegotiation)
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"), new HubProtocolConnectionOptions
        {
            SkipNegotiation = skipNegotiation,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>("token with spaces&symbols"),
            QueryParameters = new Dictionary<string, string> { ["epoch"] = "e 7" },
        });

        await connection.StartAsync();

        Assert.Equal("ok", await connection.InvokeAsync<string>("Echo", ["ok"]));
        Assert.Equal(["token with spaces&symbols"], host.State.AccessTokens);
        Assert.Equal(["e 7"], host.State.ConnectEpochs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_path_fails_start_with_a_clear_exception(bool skipNegotiation)
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/nothing-here"), new HubProtocolConnectionOptions { SkipNegotiation = skipNegotiation });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("404", error.Message);
        Assert.Contains("/nothing-here", error.Message);
    }

    [Fact]
    public async Task Refused_credentials_are_reported_as_an_authentication_failure()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.RejectConnections = true;
        await using var connection = new HubProtocolConnection(host.Url("/hubs/chat"));

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.True(error.IsAuthenticationFailure);
    }

    [Fact]
    public async Task Handshake_error_carries_the_server_text()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/raw/handshake-error"), new HubProtocolConnectionOptions { SkipNegotiation = true });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => connection.StartAsync());

        Assert.Equal("Requested protocol 'json' is not available.", error.Message);
    }

    [Fact]
    public async Task Messages_are_framed_by_separator_across_and_within_frames()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/raw/frames"), new HubProtocolConnectionOptions { SkipNegotiation = true });
        var sequence = new EventCollector<int>();
        connection.On<int>("Seq", sequence.Add);

        await connection.StartAsync();

        // The handshake response shares a frame with messages; one message spans two frames; a stream item, a ping,
        // an unknown type and an unknown target are skipped.
        Assert.Equal([1, 2, 3], await sequence.WaitForCountAsync(3));
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task Server_close_with_an_error_raises_Closed_with_the_server_text()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/protocol"), new HubProtocolConnectionOptions
        {
            QueryParameters = new Dictionary<string, string> { ["fail"] = "not welcome" },
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += closed.SetResult;

        // ASP.NET Core answers the handshake, then runs OnConnectedAsync, which throws: a close message follows.
        await connection.StartAsync();

        var error = Assert.IsType<HubConnectionClosedException>(await closed.Task.WaitAsync(s_wait));
        Assert.Equal("Connection closed with an error. HubException: not welcome", error.Message);
        Assert.Equal(error.Message, error.ServerError);
        Assert.False(error.AllowReconnect);
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task Server_abort_fails_pending_invocations_and_raises_Closed()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var connection = await ConnectAsync(host);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += closed.SetResult;
        var hanging = connection.InvokeAsync("Hang", []);
        await host.State.WaitUntilAsync(s => s.OpenConnections == 1, "the connection is open");

        host.State.AbortAll();

        var error = await Assert.ThrowsAsync<HubConnectionClosedException>(() => hanging.WaitAsync(s_wait));
        Assert.Contains("'Hang'", error.Message);
        Assert.IsType<HubConnectionClosedException>(await closed.Task.WaitAsync(s_wait));
        await Assert.ThrowsAsync<HubConnectionClosedException>(() => connection.InvokeAsync<string>("Echo", ["late"]));
    }

    [Fact]
    public async Task Server_timeout_closes_a_connection_that_receives_nothing()
    {
        // The server sends no pings within the test, so only the client's own timeout can end the connection.
        await using var host = await TestHubHost.StartAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMinutes(10);
            o.ClientTimeoutInterval = TimeSpan.FromMinutes(20);
        });
        await using var connection = new HubProtocolConnection(host.Url("/protocol"), new HubProtocolConnectionOptions
        {
            ServerTimeout = TimeSpan.FromSeconds(1),
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += closed.SetResult;
        await connection.StartAsync();

        var error = Assert.IsType<HubConnectionClosedException>(await closed.Task.WaitAsync(s_wait));

        Assert.Contains("Server timeout", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task Client_sends_pings_when_it_has_nothing_else_to_send()
    {
        // The raw endpoint sends nothing after the handshake and reports Pinged() once it has read three pings.
        await using var host = await TestHubHost.StartAsync();
        await using var connection = new HubProtocolConnection(host.Url("/raw/count-pings"), new HubProtocolConnectionOptions
        {
            SkipNegotiation = true,
            KeepAliveInterval = TimeSpan.FromMilliseconds(100),
        });
        var pinged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On("Pinged", pinged.SetResult);

        await connection.StartAsync();

        await pinged.Task.WaitAsync(s_wait);
    }

    [Fact]
    public async Task Stop_raises_Closed_without_an_error_and_fails_later_calls()
    {
        await using var host = await TestHubHost.StartAsync();
        var connection = await ConnectAsync(host);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += closed.SetResult;

        await connection.StopAsync();

        Assert.True(closed.Task.IsCompleted, "Closed is raised before StopAsync returns");
        Assert.Null(await closed.Task);
        await Assert.ThrowsAsync<HubConnectionClosedException>(() => connection.InvokeAsync<string>("Echo", ["x"]));
        await host.State.WaitUntilAsync(s => s.OpenConnections == 0, "the server saw the disconnect");
        await connection.DisposeAsync();
    }

    private static async Task<HubProtocolConnection> ConnectAsync(TestHubHost host)
    {
        var connection = new HubProtocolConnection(host.Url("/protocol"));
        await connection.StartAsync();
        return connection;
    }
}
