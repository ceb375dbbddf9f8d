using System.Text.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>
/// The typed client machinery (dedupe, acks, reconnect, epoch) against <see cref="ProtocolTestHub"/> mapped at the
/// chat path; the real Hub server's behaviour is tested elsewhere.
/// </summary>
public sealed class ChatClientTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Typed_methods_return_the_contract_records()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address);
        await client.StartAsync();

        var state = await client.JoinRoomAsync("lobby");
        var rooms = await client.ListRoomsAsync();
        var sent = await client.SendToRoomAsync("lobby", "hi");

        Assert.Equal("lobby", state.Room);
        Assert.Equal([new Member("alice", true)], state.Members);
        Assert.Equal([new RoomInfo("lobby", "alice", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero))], rooms);
        Assert.Equal("lobby:hi", sent.Id);
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Resumed_is_raised_and_its_epoch_remembered()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address);
        var resumed = new TaskCompletionSource<ResumeInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += resumed.SetResult;

        await client.StartAsync();

        Assert.Equal(new ResumeInfo(0, 0, "epoch-1", true), await resumed.Task.WaitAsync(s_wait));
        Assert.Equal("epoch-1", client.Epoch);
    }

    [Fact]
    public async Task Acks_are_split_into_batches_below_the_size_limit()
    {
        // The server refuses any message over 2 KiB by closing the connection: an oversized Ack would be fatal.
        await using var host = await TestHubHost.StartAsync(o => o.MaximumReceiveMessageSize = 2048);
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            MaxAckMessageBytes = 2048,
            AckBatchSize = 10_000,
            AckInterval = TimeSpan.FromHours(1),
        });
        var received = new EventCollector<Envelope>();
        client.MessageReceived += received.Add;
        await client.StartAsync();
        var ids = Enumerable.Range(0, 300).Select(i => $"msg-{i:D5}-{new string('x', 30)}").ToArray();

        await InvokeHubAsync(host, client, ids);
        await received.WaitForCountAsync(ids.Length);
        await client.FlushAcksAsync();

        var batches = host.State.AckCalls;
        Assert.True(batches.Count > 1, $"expected several batches, got {batches.Count}");
        Assert.Equal(ids, batches.SelectMany(batch => batch));
        foreach (var batch in batches)
        {
            var json = JsonSerializer.Serialize(new { type = 1, invocationId = "12345", target = HubMethods.Ack, arguments = new object[] { batch } });
            Assert.True(json.Length + 1 < 2048, $"an Ack message of {json.Length + 1} bytes");
        }

        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Acks_are_sent_when_the_batch_size_is_reached_and_when_the_interval_passes()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            AckBatchSize = 10,
            AckInterval = TimeSpan.FromMilliseconds(300),
        });
        await client.StartAsync();
        var ids = Enumerable.Range(0, 25).Select(i => $"m{i}").ToArray();

        await InvokeHubAsync(host, client, ids);

        // No FlushAcksAsync: two full batches go by count, the last five by time.
        await host.State.WaitUntilAsync(s => s.AckCalls.Sum(batch => batch.Length) == 25, "25 ids acknowledged");
        var batches = host.State.AckCalls;
        Assert.All(batches, batch => Assert.True(batch.Length <= 10));
        Assert.Equal(ids, batches.SelectMany(batch => batch));
    }

    [Fact]
    public async Task Duplicate_ids_are_raised_once_but_acknowledged_every_time()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var received = new EventCollector<Envelope>();
        client.MessageReceived += received.Add;
        await client.StartAsync();

        // "end" comes last: once it is raised, every earlier message has been handled (events are in order).
        await InvokeHubAsync(host, client, ["a", "b", "a", "c", "b", "end"]);
        var raised = await received.WaitForCountAsync(4);
        await client.FlushAcksAsync();

        Assert.Equal(["a", "b", "c", "end"], raised.Select(e => e.Id));
        Assert.Equal(["a", "b", "a", "c", "b", "end"], host.State.AckCalls.SelectMany(batch => batch));
    }

    [Fact]
    public async Task Raw_deliveries_are_visible_with_deduplication_and_auto_ack_off()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { Deduplicate = false, AutoAck = false });
        var received = new EventCollector<Envelope>();
        client.MessageReceived += received.Add;
        await client.StartAsync();

        await InvokeHubAsync(host, client, ["a", "a", "b"]);
        var raised = await received.WaitForCountAsync(3);
        await client.FlushAcksAsync();

        Assert.Equal(["a", "a", "b"], raised.Select(e => e.Id));
        Assert.Empty(host.State.AckCalls);
    }

    [Fact]
    public async Task The_oldest_ids_are_forgotten_beyond_the_deduplication_capacity()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { DeduplicationCapacity = 2 });
        var received = new EventCollector<Envelope>();
        client.MessageReceived += received.Add;
        await client.StartAsync();

        // With room for two ids, "a" is forgotten once "b" and "c" arrived, so its redelivery is raised again.
        await InvokeHubAsync(host, client, ["a", "b", "c", "c", "a"]);

        Assert.Equal(["a", "b", "c", "a"], (await received.WaitForCountAsync(4)).Select(e => e.Id));
    }

    [Fact]
    public async Task Reconnects_after_the_server_aborts_and_sends_the_last_epoch()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(50) });
        var reconnecting = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumed = new EventCollector<ResumeInfo>();
        var states = new EventCollector<HubConnectionState>();
        client.Reconnecting += reconnecting.SetResult;
        client.Reconnected += reconnected.SetResult;
        client.Resumed += resumed.Add;
        client.StateChanged += states.Add;
        await client.StartAsync();
        await resumed.WaitForCountAsync(1);

        host.State.AbortAll();

        Assert.NotNull(await reconnecting.Task.WaitAsync(s_wait));
        await reconnected.Task.WaitAsync(s_wait);
        var second = (await resumed.WaitForCountAsync(2))[1];
        Assert.True(second.Recovered);
        Assert.Equal([null, "epoch-1"], host.State.ConnectEpochs);
        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.Equal(
            [HubConnectionState.Connecting, HubConnectionState.Connected, HubConnectionState.Reconnecting, HubConnectionState.Connected],
            await states.WaitForCountAsync(4));
        Assert.Equal("lobby", (await client.JoinRoomAsync("lobby")).Room);
    }

    [Fact]
    public async Task Reconnecting_goes_on_when_the_hub_fails_OnConnectedAsync_where_the_official_reconnect_would_stop()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(20) });
        var resumed = new EventCollector<ResumeInfo>();
        var reconnecting = new EventCollector<Exception?>();
        client.Resumed += resumed.Add;
        client.Reconnecting += reconnecting.Add;
        await client.StartAsync();
        await resumed.WaitForCountAsync(1);

        // The server closes each of the next two connections with an error and "allowReconnect: false".
        host.State.FailingConnects = 2;
        host.State.AbortAll();

        await resumed.WaitForCountAsync(2);
        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.Equal(0, host.State.FailingConnects);
        Assert.All(reconnecting.Items, e => Assert.IsType<HubConnectionClosedException>(e));
        foreach (var error in reconnecting.Items.Cast<HubConnectionClosedException>().Where(e => e.ServerError is not null))
        {
            // SignalR's wording around the HubException's text, and its "do not reconnect", which the client overrides.
            Assert.Contains("The store is unavailable.", error.ServerError);
            Assert.False(error.AllowReconnect);
        }
    }

    [Fact]
    public async Task Acks_queued_before_a_drop_are_sent_after_reconnecting()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            AckInterval = TimeSpan.FromHours(1),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        });
        var received = new EventCollector<Envelope>();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += received.Add;
        client.Reconnected += reconnected.SetResult;
        await client.StartAsync();
        await InvokeHubAsync(host, client, ["x", "y"]);
        await received.WaitForCountAsync(2);
        Assert.Empty(host.State.AckCalls);

        host.State.AbortAll();
        await reconnected.Task.WaitAsync(s_wait);

        await host.State.WaitUntilAsync(s => s.AckCalls.SelectMany(batch => batch).Count() == 2, "x and y acknowledged");
        Assert.Equal(["x", "y"], host.State.AckCalls.SelectMany(batch => batch));
    }

    [Fact]
    public async Task Stop_sends_pending_acks_and_does_not_reconnect()
    {
        await using var host = await TestHubHost.StartAsync();
        var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var received = new EventCollector<Envelope>();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += received.Add;
        client.Closed += closed.SetResult;
        await client.StartAsync();
        await InvokeHubAsync(host, client, ["p", "q", "r"]);
        await received.WaitForCountAsync(3);

        await client.StopAsync();

        Assert.Equal(["p", "q", "r"], host.State.AckCalls.SelectMany(batch => batch));
        Assert.Null(await closed.Task.WaitAsync(s_wait));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await host.State.WaitUntilAsync(s => s.OpenConnections == 0, "the server saw the disconnect");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ListRoomsAsync());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_first_connect_throws_and_leaves_the_client_disconnected()
    {
        await using var host = await TestHubHost.StartAsync();
        host.State.RejectConnections = true;
        await using var client = new ChatClient(host.Address);

        var error = await Assert.ThrowsAsync<HubConnectionException>(() => client.StartAsync());

        Assert.True(error.IsAuthenticationFailure);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Reconnecting_stops_when_the_server_refuses_the_credentials()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(20) });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += closed.SetResult;
        await client.StartAsync();

        host.State.RejectConnections = true;
        host.State.AbortAll();

        var error = Assert.IsType<HubConnectionException>(await closed.Task.WaitAsync(s_wait));
        Assert.True(error.IsAuthenticationFailure);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Reconnecting_gives_up_after_the_configured_attempts()
    {
        var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            MaxReconnectAttempts = 2,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += closed.SetResult;
        await client.StartAsync();

        // With the server gone, every attempt is refused.
        await host.DisposeAsync();

        Assert.NotNull(await closed.Task.WaitAsync(s_wait));
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Notification_client_receives_the_notification_event()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new NotificationClient(host.Address);
        var resumed = new TaskCompletionSource<ResumeInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += resumed.SetResult;

        await client.StartAsync();

        await resumed.Task.WaitAsync(s_wait);
        Assert.Equal(new Uri(host.Address, HubPaths.Notifications), client.HubUrl);
        Assert.Equal("topic", (await client.JoinRoomAsync("topic")).Room);
    }

    // The typed client has no method to make the test hub send, so a second, plain connection asks the hub to send
    // the messages to every other connection: with one host per test, that is the client under test.
    private static async Task InvokeHubAsync(TestHubHost host, HubClientBase client, string[] ids)
    {
        Assert.Equal(HubConnectionState.Connected, client.State);
        await using var driver = await RawHubConnection.ConnectAsync(host.Url("/protocol"));
        foreach (var chunk in ids.Chunk(20))
        {
            // Small invocations: one test limits the server's incoming message size.
            await driver.InvokeAsync("SendMessagesToOthers", [chunk]);
        }
    }
}
