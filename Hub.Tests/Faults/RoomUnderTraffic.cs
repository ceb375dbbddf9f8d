using System.Collections.Concurrent;
using System.Diagnostics;
using Hub.Client;
using Hub.Server.Presence;
using Hub.Server.Storage.Redis;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Hub.Tests.Faults;

/// <summary>
/// Two nodes on one redis-server (the second a separate process when a test kills or freezes it) and four users in one
/// room, two on each node, each sending steadily with Hub.Client
/// (a new idempotency key per message, the same key for every retry of it, as a careful client does). It records what
/// was acknowledged (a <c>SendResult</c>) and what each member was shown, so a fault test can check that nothing
/// acknowledged was lost, nothing was shown twice, every member saw the room in order, and how long the cluster took
/// to be normal again.
/// </summary>
internal sealed class RoomUnderTraffic : IAsyncDisposable
{
    public const string Room = "general";

    // Pacing of the traffic (about 15 messages a second per user) and of retries; not waits for anything.
    private static readonly TimeSpan SendPause = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private const int MaxMessagesPerUser = 1000;

    // How long nothing may go wrong (no failed send, no member losing its connection) before the cluster counts as
    // normal: longer than a heartbeat and a probe interval, so a fault noticed late still shows up.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2.5);

    private readonly ConcurrentDictionary<string, (string User, TimeSpan At)> _acked = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];
    private int _failures;
    private long _lastDisruptionTicks;

    private readonly HubServerProcess? _process;
    private readonly HttpClient _http = new();

    private RoomUnderTraffic(RedisNodes cluster, HubServerProcess? process, IReadOnlyList<HubUser<ChatClient>> members)
    {
        Cluster = cluster;
        _process = process;
        Members = members;
        foreach (var member in members)
        {
            member.Client.StateChanged += state =>
            {
                if (state != HubConnectionState.Connected)
                {
                    Disrupted();
                }
            };
        }
    }

    /// <summary>The nodes in this process: both, or only the first when the second is <see cref="Process"/>.</summary>
    public RedisNodes Cluster { get; }

    /// <summary>The second node when it runs as a process of its own (to be killed or frozen).</summary>
    public HubServerProcess Process => _process ?? throw new InvalidOperationException("Start with a node process.");

    /// <summary>The four members, alternating between the nodes.</summary>
    public IReadOnlyList<HubUser<ChatClient>> Members { get; }

    /// <summary>Sends acknowledged so far.</summary>
    public int Acked => _acked.Count;

    /// <summary>Sends that failed and were retried (with their key).</summary>
    public int Failures => _failures;

    /// <summary>Time since the traffic started (the clock of <see cref="VerifyAsync"/>'s <c>since</c>).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// Starts the nodes (the second as a process of its own when <paramref name="nodeProcess"/>), connects the members,
    /// and starts the traffic once everyone is in the room.
    /// </summary>
    public static async Task<RoomUnderTraffic> StartAsync(RedisServerFixture redis, bool nodeProcess = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Prefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
            // A beat every second: presence heals and data loss is noticed within a second or two of the fault's end.
            ["Redis:NodeTimeout"] = "00:00:03",
            ["Redis:CommandTimeout"] = "00:00:01",
        };
        var cluster = await RedisNodes.StartAsync(redis, nodeProcess ? 1 : 2, settings);
        HubServerProcess? process = null;
        var members = new List<HubUser<ChatClient>>();
        try
        {
            if (nodeProcess)
            {
                // The same settings as the in-process nodes (RedisNodes), through the command line.
                var configuration = cluster[0].Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value;
                process = await HubServerProcess.StartAsync(new Dictionary<string, string>
                {
                    ["Redis:Configuration"] = configuration.Configuration!,
                    ["Redis:Prefix"] = configuration.Prefix,
                    ["Redis:NodeTimeout"] = configuration.NodeTimeout.ToString(),
                    ["Redis:CommandTimeout"] = configuration.CommandTimeout.ToString(),
                    ["Redis:ProbeInterval"] = configuration.ProbeInterval.ToString(),
                    ["Redis:ProbeTimeout"] = configuration.ProbeTimeout.ToString(),
                    ["Auth:SigningKey"] = HubTestHost.SigningKey,
                    ["Auth:DevTokens"] = "true",
                });
            }
            for (var i = 0; i < 4; i++)
            {
                members.Add(i % 2 == 0 || process is null ? await cluster[i % 2].ChatAsync($"user{i}") : await process.ChatAsync($"user{i}"));
            }
            await members[0].Client.CreateRoomAsync(Room);
            foreach (var member in members.Skip(1))
            {
                await member.Client.JoinRoomAsync(Room);
            }
        }
        catch
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
            if (process is not null)
            {
                await process.DisposeAsync();
            }
            await cluster.DisposeAsync();
            throw;
        }
        var traffic = new RoomUnderTraffic(cluster, process, members);
        traffic._senders.AddRange(members.Select(m => Task.Run(() => traffic.SendLoopAsync(m))));
        return traffic;
    }

    /// <summary>Waits until <paramref name="count"/> more sends were acknowledged.</summary>
    public Task WaitForTrafficAsync(int count)
    {
        var target = Acked + count;
        return Poll.UntilAsync(() => Acked >= target, $"{count} more sends are acknowledged");
    }

    /// <summary>
    /// Waits until the cluster is normal again and has stayed so for a quiet period: both nodes ready, presence in Redis
    /// exactly the connections the nodes hold, no send failing and no member losing its connection, and every member's
    /// sends acknowledged again. Returns the time to normal: from now (the fault's end) until every member had a send
    /// acknowledged after the last disruption.
    /// </summary>
    public async Task<TimeSpan> WaitForNormalAsync(TimeSpan bound)
    {
        var from = Now;
        await using var inspector = await ConnectionMultiplexer.ConnectAsync(InspectorConfiguration());
        await Poll.UntilAsync(async ct =>
        {
            var calm = Max(LastDisruption, from);
            return Now - calm >= QuietPeriod
                && Members.All(m => _acked.Values.Any(a => a.User == m.Name && a.At > calm))
                && await AllReadyAsync(ct)
                && await PresenceIsRightAsync(inspector.GetDatabase());
        }, "the cluster is normal again (ready, sends acknowledged, presence right, nothing failing)", bound + QuietPeriod);
        var last = Max(LastDisruption, from);
        var normal = Members.Max(m => _acked.Values.Where(a => a.User == m.Name && a.At > last).Min(a => a.At));
        return normal - from;
    }

    /// <summary>
    /// Stops the traffic and checks every member: it was shown every send acknowledged since <paramref name="since"/>
    /// (all when null), none twice, and those in the room's order.
    /// </summary>
    public async Task VerifyAsync(TimeSpan? since = null)
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        var expected = _acked.Where(a => a.Value.At >= (since ?? TimeSpan.Zero)).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        foreach (var member in Members)
        {
            try
            {
                await member.WaitForAsync(u => expected.IsSubsetOf(u.Messages.Select(m => m.Id)), $"for all {expected.Count} acknowledged messages");
            }
            catch (TimeoutException ex)
            {
                var missing = expected.Except(member.Messages.Select(m => m.Id)).Take(10);
                throw new TimeoutException($"{ex.Message} Never shown: {string.Join(", ", missing)}.", ex);
            }
            var shown = member.Messages;
            var twice = shown.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{member.Name} was shown {string.Join(", ", twice)} more than once");
            var seqs = shown.Where(m => expected.Contains(m.Id)).Select(m => m.Seq!.Value).ToList();
            for (var i = 1; i < seqs.Count; i++)
            {
                Assert.True(seqs[i] > seqs[i - 1], $"{member.Name} was shown seq {seqs[i - 1]} before {seqs[i]}");
            }
        }
    }

    // Every member online with exactly its one connection: for members of an in-process node the very connection the
    // node holds, for those of the node process (whose connections this test cannot see) exactly one.
    private async Task<bool> PresenceIsRightAsync(IDatabase db)
    {
        var keys = Cluster[0].Services.GetRequiredService<RedisStoreConnection>().Keys;
        var live = Cluster.Nodes.SelectMany(n => n.Services.GetRequiredService<ILiveConnections>().Snapshot()).Where(c => c.Ns == "chat").ToList();
        foreach (var member in Members)
        {
            var recorded = (await db.SetMembersAsync(keys.Connections("chat", member.Name))).Select(v => (string)v!).ToHashSet();
            var held = live.Where(c => c.User == member.Name).Select(c => c.ConnectionId).ToHashSet();
            if (!await db.SetContainsAsync(keys.Online("chat", member.Name), member.Name) || (held.Count > 0 ? !recorded.SetEquals(held) : recorded.Count != 1))
            {
                return false;
            }
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        await Cluster.DisposeAsync();
        _stop.Dispose();
        _http.Dispose();
    }

    private TimeSpan LastDisruption => TimeSpan.FromTicks(Interlocked.Read(ref _lastDisruptionTicks));

    private void Disrupted() => Interlocked.Exchange(ref _lastDisruptionTicks, Now.Ticks);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private string InspectorConfiguration() =>
        Cluster[0].Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value.Configuration!;

    // Asked over HTTP, as a balancer does, of every node (in this process or not).
    private async Task<bool> AllReadyAsync(CancellationToken cancellationToken)
    {
        var nodes = Cluster.Nodes.Select(n => n.BaseAddress).Concat(_process is null ? [] : [new Uri($"http://{_process.Address}/")]);
        foreach (var node in nodes)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(node, "readyz"), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }
            }
            catch (HttpRequestException)
            {
                return false; // a node process being restarted
            }
        }
        return true;
    }

    private async Task SendLoopAsync(HubUser<ChatClient> user)
    {
        var stop = _stop.Token;
        try
        {
            for (var n = 0; n < MaxMessagesPerUser; n++)
            {
                var text = $"{user.Name}-{n}";
                var key = ChatClient.NewSendKey();
                while (true)
                {
                    try
                    {
                        var result = await user.Client.SendToRoomAsync(Room, text, key, stop);
                        _acked[result.Id] = (user.Name, Now);
                        break;
                    }
                    catch (HubInvocationException ex) when (ex.Message.Contains("does not exist", StringComparison.Ordinal)
                        || ex.Message.Contains("not a member", StringComparison.Ordinal))
                    {
                        // Redis lost its data: as a client told recovered: false does, make the room again and rejoin.
                        Disrupted();
                        await RejoinAsync(user, stop);
                    }
                    catch (Exception ex) when (ex is HubInvocationException or HubConnectionClosedException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref _failures);
                        Disrupted();
                        await Task.Delay(RetryPause, stop);
                    }
                }
                await Task.Delay(SendPause, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task RejoinAsync(HubUser<ChatClient> user, CancellationToken stop)
    {
        try
        {
            await user.Client.CreateRoomAsync(Room, stop);
        }
        catch (Exception ex) when (ex is HubInvocationException or HubConnectionClosedException or InvalidOperationException)
        {
            // Made by another member already, or not connected yet: the join (or the next send) tells.
        }
        try
        {
            await user.Client.JoinRoomAsync(Room, stop);
        }
        catch (Exception ex) when (ex is HubInvocationException or HubConnectionClosedException or InvalidOperationException)
        {
            await Task.Delay(RetryPause, stop);
        }
    }
}
