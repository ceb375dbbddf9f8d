using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Client;

/// <summary>Asynchronous message handlers and explicit acknowledgement, against <see cref="ProtocolTestHub"/>.</summary>
public sealed class MessageHandlerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_message_is_acknowledged_only_after_its_async_handler_completed()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RoomState? joinedInHandler = null;
        client.OnMessage(async (envelope, cancellationToken) =>
        {
            started.TrySetResult(envelope.Id);
            await release.Task.WaitAsync(cancellationToken);

            // The handler may await an invocation on the very connection that delivered the message.
            joinedInHandler = await client.JoinRoomAsync("lobby", cancellationToken);
        });
        await client.StartAsync();

        await InvokeHubAsync(host, ["m1"]);
        Assert.Equal("m1", await started.Task.WaitAsync(s_wait));
        await client.FlushAcksAsync();
        Assert.Empty(host.State.AckCalls);

        release.SetResult();
        await Poll.UntilAsync(() => joinedInHandler is not null, "the handler completed");
        await Poll.UntilAsync(async ct => { await client.FlushAcksAsync(ct); return host.State.AckCalls.Count == 1; }, "m1 acknowledged");
        Assert.Equal(["m1"], host.State.AckCalls.SelectMany(batch => batch));
    }

    [Fact]
    public async Task A_throwing_handler_is_logged_and_neither_stops_later_messages_nor_the_connection()
    {
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { LoggerFactory = loggerFactory, AckInterval = TimeSpan.FromHours(1) });
        var handled = new EventCollector<string>();
        client.OnMessage((envelope, _) => envelope.Id == "bad" ? throw new InvalidOperationException("handler bug") : Task.CompletedTask);
        client.OnMessage(async (envelope, _) =>
        {
            await Task.Yield();
            if (envelope.Id == "worse")
            {
                throw new InvalidOperationException("async handler bug");
            }

            handled.Add(envelope.Id);
        });
        await client.StartAsync();

        await InvokeHubAsync(host, ["bad", "worse", "good"]);

        Assert.Equal(["bad", "good"], await handled.WaitForCountAsync(2));
        var errors = logs.Entries.Where(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException).Select(e => e.Exception!.Message);
        Assert.Equal(["handler bug", "async handler bug"], errors);
        await client.FlushAcksAsync();
        Assert.Equal(["bad", "worse", "good"], host.State.AckCalls.SelectMany(batch => batch));
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task With_auto_ack_off_AckAsync_acknowledges_exactly_the_given_ids()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { AutoAck = false });
        var received = new EventCollector<Envelope>();
        client.MessageReceived += received.Add;
        await client.StartAsync();

        await InvokeHubAsync(host, ["a", "b", "c"]);
        await received.WaitForCountAsync(3);
        await client.FlushAcksAsync();
        Assert.Empty(host.State.AckCalls);

        await client.AckAsync("b");
        await client.AckAsync(["c", "a"]);

        Assert.Equal([["b"], ["c", "a"]], host.State.AckCalls);
    }

    [Fact]
    public async Task A_handler_failure_is_raised_through_HandlerFailed_with_the_message_even_without_a_logger()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address);
        var failures = new EventCollector<HandlerFailure>();
        client.HandlerFailed += failures.Add;
        client.MessageReceived += envelope => _ = envelope.Id == "sync" ? throw new InvalidOperationException("sync bug") : 0;
        client.OnMessage(async (envelope, _) =>
        {
            await Task.Yield();
            if (envelope.Id == "async")
            {
                throw new InvalidOperationException("async bug");
            }
        });
        await client.StartAsync();

        await InvokeHubAsync(host, ["sync", "async"]);

        var failed = await failures.WaitForCountAsync(2);
        Assert.Equal([("MessageReceived", "sync", "sync bug"), ("OnMessage", "async", "async bug")],
            failed.Select(f => (f.EventName, f.Message!.Id, f.Exception.Message)));
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Stop_raises_nothing_after_it_began_waits_for_the_message_in_hand_and_acknowledges_what_was_handled()
    {
        await using var host = await TestHubHost.StartAsync();
        var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var raised = new EventCollector<string>();
        var inHand = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.MessageReceived += envelope => raised.Add(envelope.Id);
        client.OnMessage(async (envelope, _) =>
        {
            if (envelope.Id == "m3")
            {
                // Ignores the stop token: it finishes its work, so its message counts as handled.
                inHand.SetResult();
                await release.Task;
            }
        });
        await client.StartAsync();
        await InvokeHubAsync(host, ["m1", "m2", "m3", "m4", "m5"]);
        await inHand.Task.WaitAsync(s_wait);

        var stopping = client.StopAsync();
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping.WaitAsync(s_wait);

        // m4 and m5 were on the wire behind m3: not raised, not acknowledged, so the server keeps them for next time.
        Assert.Equal(["m1", "m2", "m3"], raised.Items);
        Assert.Equal(["m1", "m2", "m3"], host.State.AckCalls.SelectMany(batch => batch));
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_handler_that_gives_up_when_the_client_stops_leaves_its_message_unacknowledged_and_raised_again_after_a_restart()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var handled = new EventCollector<string>();
        var inHand = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new EventCollector<HandlerFailure>();
        client.HandlerFailed += failures.Add;
        client.OnMessage(async (envelope, cancellationToken) =>
        {
            if (envelope.Id == "slow" && !inHand.Task.IsCompleted)
            {
                inHand.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            handled.Add(envelope.Id);
        });
        await client.StartAsync();
        await InvokeHubAsync(host, ["fast", "slow"]);
        await inHand.Task.WaitAsync(s_wait);

        await client.StopAsync().WaitAsync(s_wait);

        Assert.Equal(["fast"], host.State.AckCalls.SelectMany(batch => batch));
        Assert.Empty(failures.Items);

        // The same client started again gets it again (as the server redelivers it) and handles it this time.
        await client.StartAsync();
        await InvokeHubAsync(host, ["slow"]);
        Assert.Equal(["fast", "slow"], await handled.WaitForCountAsync(2));
    }

    [Fact]
    public async Task Seeded_recent_ids_are_filtered_as_duplicates_and_the_recent_ids_can_be_read_back()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            InitialRecentMessageIds = ["a", "b"],
            DeduplicationCapacity = 3,
            AckInterval = TimeSpan.FromHours(1),
        });
        var received = new EventCollector<string>();
        client.MessageReceived += envelope => received.Add(envelope.Id);
        await client.StartAsync();

        await InvokeHubAsync(host, ["a", "c", "b", "d"]);

        Assert.Equal(["c", "d"], await received.WaitForCountAsync(2));
        await client.FlushAcksAsync();
        Assert.Equal(["a", "c", "b", "d"], host.State.AckCalls.SelectMany(batch => batch));
        Assert.Equal(["b", "c", "d"], client.GetRecentMessageIds());
    }

    [Fact]
    public async Task A_handler_may_stop_the_client_and_its_own_message_is_left_pending()
    {
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions { AckInterval = TimeSpan.FromHours(1) });
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnMessage(async (envelope, _) =>
        {
            if (envelope.Id == "last")
            {
                await client.StopAsync();
                stopped.SetResult();
            }
        });
        await client.StartAsync();

        await InvokeHubAsync(host, ["first", "last"]);

        await stopped.Task.WaitAsync(s_wait);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        Assert.Equal(["first"], host.State.AckCalls.SelectMany(batch => batch));
    }

    private static async Task InvokeHubAsync(TestHubHost host, string[] ids)
    {
        await using var driver = await RawHubConnection.ConnectAsync(host.Url("/protocol"));
        await driver.InvokeAsync("SendMessagesToOthers", [ids]);
    }
}
