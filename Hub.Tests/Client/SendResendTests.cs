using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Client;

/// <summary>
/// ChatClient sends a message again, with its key, when the connection is lost or being re-established, so a node's
/// restart is not an error the application must handle; what is about the message itself is thrown at once.
/// </summary>
public sealed class SendResendTests
{
    private const int ResendingEventId = 111;

    [Fact]
    public async Task A_send_whose_answer_is_lost_with_its_connection_returns_the_first_id_after_the_reconnect_and_is_delivered_once()
    {
        var filter = new AnswerLosingFilter();
        await using var host = await HubTestHost.StartAsync(configure: builder =>
            builder.Services.Configure<HubOptions>(o => o.AddFilter(filter)));
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        alice.Client.Reconnecting += _ => filter.ClientNoticed();

        var result = await alice.Client.SendToRoomAsync("general", "only once").OrTimeout();
        await alice.Client.SendToRoomAsync("general", "marker").OrTimeout();
        await bob.WaitForMessageAsync("marker");

        Assert.Contains("reconnected", alice.Events);
        Assert.DoesNotContain("closed", alice.Events);
        Assert.Equal(["only once", "marker"], bob.Messages.Select(m => m.Text));
        Assert.Equal(bob.Messages[0].Id, result.Id);
    }

    [Fact]
    public async Task A_send_made_while_the_client_is_reconnecting_goes_out_once_the_connection_is_back()
    {
        await using var host = await HubTestHost.StartAsync();
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        // The reconnect waits at this gate, so the send surely meets a reconnecting client.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = await host.TokenAsync("alice");
        var connects = 0;
        await using var alice = await host.ChatAsync("alice", o =>
        {
            o.LoggerFactory = loggerFactory;
            o.AccessTokenProvider = async cancellationToken =>
            {
                if (Interlocked.Increment(ref connects) > 1)
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }
                return token;
            };
        });
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        Assert.Equal(1, host.AbortConnectionsOf("alice"));
        await alice.WaitForEventAsync("state:Reconnecting");
        var send = alice.Client.SendToRoomAsync("general", "while away");
        await Poll.UntilAsync(() => logs.Entries.Any(e => e.EventId.Id == ResendingEventId), "the send waits to be sent again");
        Assert.False(send.IsCompleted);

        gate.SetResult();
        var result = await send.OrTimeout();
        var received = await bob.WaitForMessageAsync("while away");

        Assert.Equal(received.Id, result.Id);
        Assert.Single(bob.Messages, m => m.Text == "while away");
        Assert.DoesNotContain("closed", alice.Events);
    }

    [Fact]
    public async Task A_refusal_about_the_message_itself_is_thrown_at_once_without_sending_again()
    {
        await using var host = await HubTestHost.StartAsync();
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var owner = await host.ChatAsync("owner");
        await owner.Client.CreateRoomAsync("general");
        await using var alice = await host.ChatAsync("alice", o => o.LoggerFactory = loggerFactory);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "let me in").OrTimeout());

        Assert.Equal(HubErrorCodes.NotMember, error.Code);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == ResendingEventId);
    }

    [Fact]
    public async Task When_the_connection_is_not_back_within_the_resend_window_the_send_throws_the_last_error()
    {
        await using var host = await HubTestHost.StartAsync();
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var alice = await host.ChatAsync("alice", o =>
        {
            o.LoggerFactory = loggerFactory;
            o.SendRetryTimeout = TimeSpan.FromMilliseconds(300);
            o.ReconnectInitialDelay = TimeSpan.FromHours(1);
        });
        await alice.Client.CreateRoomAsync("general");

        Assert.Equal(1, host.AbortConnectionsOf("alice"));
        await alice.WaitForEventAsync("state:Reconnecting");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => alice.Client.SendToRoomAsync("general", "too late").OrTimeout());

        Assert.Contains("Reconnecting", error.Message);
        Assert.Contains(logs.Entries, e => e.EventId.Id == ResendingEventId);
        Assert.Equal(HubConnectionState.Reconnecting, alice.Client.State);
    }

    [Fact]
    public void A_negative_resend_window_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChatClient("http://127.0.0.1:1", new HubClientOptions { SendRetryTimeout = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("SendRetryTimeout", error.Message);
    }
}
