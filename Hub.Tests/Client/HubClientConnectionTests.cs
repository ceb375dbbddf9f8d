using System.Net;
using System.Net.Sockets;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Client;

/// <summary>
/// How <see cref="HubClientBase"/> connects on the official client and reports failures, against
/// <see cref="ProtocolTestHub"/> on a real Kestrel server: renegotiation after a 404, the exceptions of failed
/// connects and invocations, the token and epoch on the wire.
/// </summary>
public sealed class HubClientConnectionTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_websocket_refused_with_404_after_negotiating_is_retried_with_a_fresh_negotiation()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.UnknownNegotiations = 2;
        await using var client = new ChatClient(host.Address);

        await client.StartAsync().WaitAsync(s_wait);

        Assert.Equal("lobby", (await client.JoinRoomAsync("lobby")).Room);
        Assert.Equal(3, host.State.Negotiations);
    }

    [Fact]
    public async Task A_Resumed_handler_finds_the_client_connected_and_can_call_the_hub_at_every_connect()
    {
        // The test hub sends Resumed right behind the handshake. The official client logs "HubConnection started"
        // after its receive loop began and before its StartAsync returns; holding that log line until Resumed was
        // raised (1 s at most) makes Resumed arrive before the connect returned, every time.
        await using var host = await TestHubHost.StartAsync();
        var resumedDuringStart = new SemaphoreSlim(0);
        var logs = new HoldingStartedLoggerFactory(resumedDuringStart);
        await using var client = new ChatClient(host.Address, new HubClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(10), LoggerFactory = logs });
        var seen = new List<(HubConnectionState State, Task<RoomState> Call)>();
        var resumed = new EventCollector<ResumeInfo>();
        var order = new EventCollector<string>();
        client.Reconnected += () => order.Add("reconnected");
        client.Resumed += info =>
        {
            lock (seen)
            {
                seen.Add((client.State, client.JoinRoomAsync("lobby")));
            }
            order.Add("resumed");
            resumedDuringStart.Release();
            resumed.Add(info);
        };
        await client.StartAsync().WaitAsync(s_wait);

        for (var round = 1; round <= 3; round++)
        {
            if (round > 1)
            {
                while (resumedDuringStart.Wait(0))
                {
                }
                host.State.AbortAll();
            }
            await resumed.WaitForCountAsync(round);
            (HubConnectionState State, Task<RoomState> Call) handled;
            lock (seen)
            {
                handled = seen[round - 1];
            }
            Assert.Equal(HubConnectionState.Connected, handled.State);
            Assert.Equal("lobby", (await handled.Call.WaitAsync(s_wait)).Room);
        }
        Assert.Equal(3, logs.Held);
        // Reconnected comes before the new connection's events.
        Assert.Equal(["resumed", "reconnected", "resumed", "reconnected", "resumed"], order.Items);
    }

    [Fact]
    public async Task Negotiating_stops_after_the_configured_attempts_and_reports_the_404()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.UnknownNegotiations = 10;
        await using var client = new ChatClient(host.Address, new HubClientOptions { NegotiateAttempts = 2 });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync().WaitAsync(s_wait));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, host.State.Negotiations);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_path_fails_start_with_the_status_and_the_url(bool skipNegotiation)
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Url("/nothing-here"), new HubClientOptions { SkipNegotiation = skipNegotiation });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(error.IsAuthenticationFailure);
        Assert.Contains("404", error.Message);
        Assert.Contains("/nothing-here", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_token_and_the_epoch_reach_the_server_with_and_without_negotiation(bool skipNegotiation)
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            SkipNegotiation = skipNegotiation,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>("token-1"),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        });
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += reconnected.SetResult;
        await client.StartAsync();
        await host.State.WaitUntilAsync(s => s.ConnectEpochs.Count == 1, "the first connect");
        await Poll.UntilAsync(() => client.Epoch is not null, "the first Resumed");

        host.State.AbortAll();
        await reconnected.Task.WaitAsync(s_wait);

        // The hub records a connection in OnConnectedAsync, which runs after the handshake the client waited for.
        await host.State.WaitUntilAsync(s => s.ConnectEpochs.Count == 2, "the reconnect reached the hub");
        Assert.Equal(["token-1", "token-1"], host.State.AccessTokens);
        Assert.Equal([null, "epoch-1"], host.State.ConnectEpochs);
    }

    [Fact]
    public async Task A_rejected_handshake_fails_start_with_the_server_text()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Url("/raw"), new HubClientOptions { SkipNegotiation = true });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync().WaitAsync(s_wait));

        Assert.Contains("Requested protocol 'json' is not available.", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task A_listener_that_never_answers_fails_start_within_the_handshake_timeout()
    {
        // Accepts TCP connections (the kernel's backlog does) and never says a word.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var client = new ChatClient($"http://127.0.0.1:{port}", new HubClientOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync().WaitAsync(s_wait));

        Assert.Contains("did not complete within", error.Message);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task A_token_provider_that_never_answers_fails_start_within_the_handshake_timeout()
    {
        await using var host = await TestHubHost.StartAsync();
        var never = new TaskCompletionSource<string?>();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            HandshakeTimeout = TimeSpan.FromMilliseconds(300),
            AccessTokenProvider = _ => new ValueTask<string?>(never.Task),
        });

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync().WaitAsync(s_wait));

        Assert.Contains("did not complete within", error.Message);
        Assert.Equal(0, host.State.Negotiations);
    }

    [Fact]
    public async Task A_refused_invocation_surfaces_the_server_text_and_keeps_the_connection()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address);
        await client.StartAsync();

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => client.DeleteRoomAsync("lobby"));

        // Without ASP.NET Core's wording around it; a HubException thrown without Hub's code suffix reads as server_error.
        Assert.Equal("Only the owner may delete 'lobby'.", error.Message);
        Assert.Equal(HubErrorCodes.ServerError, error.Code);
        Assert.False(error.IsRetryable);
        Assert.Equal(HubMethods.DeleteRoom, error.Method);
        Assert.Equal("lobby", (await client.JoinRoomAsync("lobby")).Room);
    }

    [Fact]
    public async Task A_drop_fails_a_pending_invocation_with_HubConnectionClosedException()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(20) });
        await client.StartAsync();
        var pending = client.GetMembersAsync("hang");
        await host.State.WaitUntilAsync(s => s.OpenConnections == 1, "connected");

        host.State.AbortAll();

        await Assert.ThrowsAsync<HubConnectionClosedException>(() => pending.WaitAsync(s_wait));
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_in_the_constructor()
    {
        Assert.Throws<ArgumentException>(() => new ChatClient("http://127.0.0.1:1", new HubClientOptions { SkipNegotiation = true, Transports = HubTransports.All }));
        Assert.Throws<ArgumentException>(() => new ChatClient("http://127.0.0.1:1", new HubClientOptions { Transports = 0 }));
        Assert.Contains("NegotiateAttempts", Assert.Throws<ArgumentException>(() => new ChatClient("http://127.0.0.1:1", new HubClientOptions { NegotiateAttempts = 0 })).Message);

        // Without a scheme, "localhost:5000" would parse as a URI whose scheme is "localhost".
        var noScheme = Assert.Throws<ArgumentException>(() => new ChatClient("localhost:5000"));
        Assert.Contains("has the scheme 'localhost'", noScheme.Message);
        Assert.Contains("did you mean http://localhost:5000?", noScheme.Message);
        Assert.Contains("is not an absolute URL", Assert.Throws<ArgumentException>(() => new NotificationClient("127.0.0.1:5000")).Message);
        Assert.Contains("is not an absolute URL", Assert.Throws<ArgumentException>(() => new ChatClient(new Uri("/hubs", UriKind.Relative))).Message);
        Assert.Contains("has the scheme 'ftp'", Assert.Throws<ArgumentException>(() => new ChatClient("ftp://127.0.0.1:5000")).Message);
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task A_ws_base_url_is_taken_as_its_http_twin(string scheme)
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient($"{scheme}://127.0.0.1:{host.Address.Port}");

        await client.StartAsync().WaitAsync(s_wait);

        Assert.Equal(new Uri(host.Address, HubPaths.Chat), client.HubUrl);
        Assert.Equal("lobby", (await client.JoinRoomAsync("lobby")).Room);
    }

    [Theory]
    [InlineData(false, HubTransports.WebSockets)]
    [InlineData(true, HubTransports.WebSockets)]
    [InlineData(false, HubTransports.All)]
    public async Task A_listener_that_accepts_and_never_answers_fails_start_with_HubConnectionException_within_the_handshake_timeout(
        bool skipNegotiation, HubTransports transports)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    held.Add(await listener.AcceptTcpClientAsync(stopAccepting.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var timeout = TimeSpan.FromSeconds(2);
        await using var client = new ChatClient($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}",
            new HubClientOptions { HandshakeTimeout = timeout, SkipNegotiation = skipNegotiation, Transports = transports });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync().WaitAsync(s_wait));

        clock.Stop();
        Assert.Contains($"did not complete within {timeout}", error.Message);
        Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(100), timeout + TimeSpan.FromSeconds(3));
        Assert.NotEmpty(held);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await stopAccepting.CancelAsync();
        await accepting;
        foreach (var connection in held)
        {
            connection.Dispose();
        }
    }

    // Holds the official client's "HubConnection started" line until the semaphore is released or 1 s passed.
    private sealed class HoldingStartedLoggerFactory(SemaphoreSlim release) : ILoggerFactory, ILogger
    {
        private int _held;

        public int Held => Volatile.Read(ref _held);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "Started" && formatter(state, exception) == "HubConnection started.")
            {
                Interlocked.Increment(ref _held);
                release.Wait(TimeSpan.FromSeconds(1));
            }
        }
    }
}
