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

    private static async Task InvokeHubAsync(TestHubHost host, string[] ids)
    {
        await using var driver = await RawHubConnection.ConnectAsync(host.Url("/protocol"));
        await driver.InvokeAsync("SendMessagesToOthers", [ids]);
    }
}
