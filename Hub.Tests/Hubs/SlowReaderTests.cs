using System.Net.Http.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Hubs;

/// <summary>
/// A connection that never reads, flooded with notifications, must cost only itself: the dispatcher goes on serving
/// everyone else, the slow one is closed (by its queue bound or the write timeout) and gets everything redelivered,
/// in order, when it reconnects and reads. Checked by the order of events, never by durations. Notifications, because
/// they reach only the addressed user (a direct chat message also goes to its sender, who would get the flood too).
/// </summary>
public sealed class SlowReaderTests
{
    // 500 notifications of 16 KB: twice what the server's socket send buffer can hold at most (4 MB here; the stuck
    // reader's receive buffer is pinned at 16 KB), so the server's writes to the stuck reader surely stall.
    private const int FloodCount = 500;
    private static readonly string Padding = new('x', 16_000);

    [Fact]
    public async Task A_reader_that_never_reads_does_not_delay_another_users_messages_until_its_write_times_out()
    {
        var timeline = new ConnectionTimeline();
        await using var host = await StartAsync(timeline, new()
        {
            // Only the write timeout closes the stuck reader here, after the other user's messages went through (and
            // before SignalR's own 10 s transport send timeout would).
            ["Delivery:LiveSendTimeout"] = "00:00:07",
            ["Delivery:OutboundQueueMessages"] = "100000",
            ["Delivery:OutboundQueueBytes"] = "1000000000",
        });
        await using var live = await host.NotificationsAsync("live");
        live.Client.MessageReceived += m => timeline.Add($"live received {m.Type}");
        using var stuck = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "slow");

        // In parallel: the write timeout starts once the stuck reader's buffers are full, the flood must end well before.
        await Parallel.ForAsync(0, FloodCount, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await NotifyAsync(host, "slow", Flood(i), Padding));
        await stuck.PingAsync();
        for (var i = 0; i < 5; i++)
        {
            await NotifyAsync(host, "live", $"to-live-{i}");
            await live.WaitForEventAsync($"message:to-live-{i}");
        }
        await timeline.WaitForAsync(e => e == "aborted:slow", "the stuck reader to be closed");

        // The dispatcher handled the flood before these (store order): had it awaited each connection's send in turn,
        // they would have waited for the stuck connection to be given up.
        var events = timeline.Snapshot();
        Assert.True(events.IndexOf("live received to-live-4") < events.IndexOf("aborted:slow"), string.Join(", ", events));
        var warning = Assert.Single(events, e => e.StartsWith("warning:110:", StringComparison.Ordinal));
        Assert.Contains("WriteTimeout", warning);
        Assert.Contains("slow", warning);
    }

    [Fact]
    public async Task A_reader_that_falls_behind_then_reads_gets_what_piled_up_for_it_complete_and_in_order()
    {
        var timeline = new ConnectionTimeline();
        await using var host = await StartAsync(timeline, new()
        {
            ["Delivery:LiveSendTimeout"] = "01:00:00",
            ["Delivery:OutboundQueueMessages"] = "100000",
            ["Delivery:OutboundQueueBytes"] = "1000000000",
        });
        using var reader = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "slow");

        // The socket's buffers take a few megabytes; the rest waits in the connection's queue, and goes out several
        // messages to a write once the reader reads (ConnectionWriter): each must still arrive whole, in order.
        await FloodAsync(host, reader);
        var (types, frames) = await reader.ReadNotificationsAsync(FloodCount);

        Assert.Equal(Enumerable.Range(0, FloodCount).Select(Flood), types);
        Assert.True(frames < FloodCount, $"{frames} WebSocket messages for {FloodCount} notifications: nothing was sent together");
        Assert.DoesNotContain(timeline.Snapshot(), e => e.StartsWith("aborted:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_write_delay_a_quiet_connection_is_written_at_once_while_a_busy_one_waits_out_its_window_alone()
    {
        // The clock stands still until the test moves it, so a held connection stays held: what arrives, arrived at
        // once. (It starts in the past so the dev tokens, checked on the real clock, stay valid.)
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var timeline = new ConnectionTimeline();
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:WriteDelay"] = "00:00:01" }, time, builder =>
        {
            builder.Services.Configure<HubOptions>(o => o.AddFilter(timeline));
            builder.Services.AddSingleton<ILoggerProvider>(timeline);
        });
        using var busy = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "busy");
        using var quiet = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "quiet");

        await NotifyAsync(host, "busy", "first");
        Assert.Equal(["first"], (await busy.ReadNotificationsAsync(1)).Types);
        for (var i = 0; i < 5; i++)
        {
            await NotifyAsync(host, "busy", Flood(i));
        }
        // Routed after the five (one dispatch order): the busy connection's window holds up nobody else.
        await NotifyAsync(host, "quiet", "hello");
        Assert.Equal(["hello"], (await quiet.ReadNotificationsAsync(1)).Types);

        time.Advance(TimeSpan.FromSeconds(1));
        var (types, frames) = await busy.ReadNotificationsAsync(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(Flood), types);
        Assert.Equal(1, frames);
    }

    [Fact]
    public async Task A_reader_that_overflows_its_queue_is_closed_once_and_gets_everything_redelivered_in_order()
    {
        var timeline = new ConnectionTimeline();
        await using var host = await StartAsync(timeline, new()
        {
            // Only the queue bound closes the stuck reader here.
            ["Delivery:LiveSendTimeout"] = "01:00:00",
            ["Delivery:OutboundQueueMessages"] = "20",
        });
        using (var stuck = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "slow"))
        {
            await FloodAsync(host, stuck);
            await timeline.WaitForAsync(e => e == "aborted:slow", "the stuck reader to be closed");
        }

        // The stuck reader named no device; a client naming none comes back as that same device.
        await using var slow = await host.NotificationsAsync("slow", o =>
        {
            o.DeviceId = null;
            o.Deduplicate = false;
            o.AutoAck = false;
        });
        var resumed = await slow.WaitForResumeAsync();

        var warning = Assert.Single(timeline.Snapshot(), e => e.StartsWith("warning:110:", StringComparison.Ordinal));
        Assert.Contains("QueueFull", warning);
        Assert.Equal(FloodCount, resumed.Redelivered);
        Assert.Equal(Enumerable.Range(0, FloodCount).Select(Flood), slow.Messages.Select(m => m.Type));
        Assert.All(slow.Messages, m => Assert.True(m.Redelivered));
    }

    [Fact]
    public async Task Live_messages_held_back_while_a_stuck_backlog_is_redelivered_are_bounded_too()
    {
        var timeline = new ConnectionTimeline();
        await using var host = await StartAsync(timeline, new()
        {
            ["Delivery:LiveSendTimeout"] = "01:00:00",
            ["Delivery:OutboundQueueMessages"] = "20",
        });
        // The stuck reader's device (it names none) seen once, so what follows is its backlog: a backlog it can never
        // take, so its redelivery stalls and the connection stays resuming.
        await using (var once = await host.NotificationsAsync("slow", o => o.DeviceId = null))
        {
            await once.Client.StopAsync();
        }
        for (var i = 0; i < FloodCount; i++)
        {
            await NotifyAsync(host, "slow", Flood(i), Padding);
        }
        var dispatcher = host.Services.GetRequiredService<DeliveryDispatcher<NotificationsHub>>();
        using (var stuck = await StuckReader.ConnectAsync(host, HubPaths.Notifications, "slow"))
        {
            // Registered with the dispatcher: from now on live messages for it are held back, not in its backlog.
            await Poll.UntilAsync(_ => Task.FromResult(dispatcher.ConnectionCount == 1), "the stuck reader is registered");
            for (var i = FloodCount; i < FloodCount + 30; i++)
            {
                await NotifyAsync(host, "slow", Flood(i));
            }
            await timeline.WaitForAsync(e => e == "aborted:slow", "the stuck reader to be closed");
        }

        var warning = Assert.Single(timeline.Snapshot(), e => e.StartsWith("warning:110:", StringComparison.Ordinal));
        Assert.Contains("ResumeBufferFull", warning);
        await using var slow = await host.NotificationsAsync("slow", o =>
        {
            o.DeviceId = null;
            o.Deduplicate = false;
            o.AutoAck = false;
        });
        await slow.WaitForResumeAsync();
        Assert.Equal(Enumerable.Range(0, FloodCount + 30).Select(Flood), slow.Messages.Select(m => m.Type));
    }

    private static Task<HubTestHost> StartAsync(ConnectionTimeline timeline, Dictionary<string, string?> settings) =>
        HubTestHost.StartAsync(settings, configure: builder =>
        {
            builder.Services.Configure<HubOptions>(o => o.AddFilter(timeline));
            builder.Services.AddSingleton<ILoggerProvider>(timeline);
        });

    private static async Task FloodAsync(HubTestHost host, StuckReader stuck)
    {
        for (var i = 0; i < FloodCount; i++)
        {
            await NotifyAsync(host, "slow", Flood(i), Padding);
            if (i % 50 == 0)
            {
                // Keeps pinging, as a live client does: the server must not mistake it for a dead one.
                await stuck.PingAsync();
            }
        }
    }

    private static async Task NotifyAsync(HubTestHost host, string user, string type, string? payload = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = JsonContent.Create(new { to = new { user }, type, payload }),
        };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);
        using var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static string Flood(int i) => $"flood-{i:D4}";
}
