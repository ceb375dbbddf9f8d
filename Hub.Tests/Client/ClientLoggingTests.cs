using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Client;

/// <summary>
/// What the client (with the official client under it) logs over a connection's life: one line per event, no stack
/// trace for what a connection meets normally, each line in a scope naming its connection and epoch.
/// </summary>
public sealed class ClientLoggingTests
{
    [Fact]
    public async Task Drops_and_reconnects_log_one_line_each_in_the_scope_of_their_connection()
    {
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            LoggerFactory = loggerFactory,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            User = "alice",
        });
        var resumed = new EventCollector<ResumeInfo>();
        client.Resumed += resumed.Add;
        await client.StartAsync();
        await resumed.WaitForCountAsync(1);

        // A drop; then the hub's OnConnectedAsync refuses the first reconnect (a close with an error, allowReconnect
        // false), and the next one succeeds; then another drop and reconnect.
        host.State.FailingConnects = 1;
        host.State.AbortAll();
        await resumed.WaitForCountAsync(2);
        host.State.AbortAll();
        await resumed.WaitForCountAsync(3);

        AssertOneLineEach(logs);
        var lost = Scoped(logs, 101);
        var reconnected = Scoped(logs, 105);
        Assert.All(lost.Concat(reconnected), entry => Assert.Equal("epoch-1", entry.Epoch));
        Assert.All(lost.Concat(reconnected), entry => Assert.Equal("alice", entry.User));

        // Connection A lost; the refused one in between may close before its id could be read (its lines then say
        // "-"); C, which lived, is named when it is reconnected and when it is lost; D is the last one.
        var (first, last, final) = (lost[0].ConnectionId, lost[^1].ConnectionId, reconnected[^1].ConnectionId);
        Assert.All([first, last, final], id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(3, new[] { first, last, final }.Distinct().Count());
        Assert.Contains(reconnected, entry => entry.ConnectionId == last);
        // The refusal is named by the server's words, whether the client saw it as a lost connection or a failed attempt.
        Assert.Contains(logs.Entries, e => e.EventId.Id is 101 or 103 && e.Message.Contains("The store is unavailable.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_is_gone_for_good_logs_each_failed_attempt_and_the_give_up_as_one_line()
    {
        using var logs = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var host = await TestHubHost.StartAsync();
        await using var client = new ChatClient(host.Address, new HubClientOptions
        {
            LoggerFactory = loggerFactory,
            MaxReconnectAttempts = 2,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        });
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += closed.SetResult;
        await client.StartAsync();

        await host.DisposeAsync();
        await closed.Task.WaitAsync(TestTimeouts.Default);

        AssertOneLineEach(logs);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 103));
        Assert.Single(logs.Entries, e => e.EventId.Id == 104 && e.Level == LogLevel.Error);
    }

    // Information and above (what a console shows by default): no entry with a stack trace or a line break.
    private static void AssertOneLineEach(CollectingLoggerProvider logs)
    {
        var loud = logs.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.NotEmpty(loud);
        Assert.All(loud, entry => Assert.DoesNotContain('\n', entry.Text));
    }

    private static List<(string? ConnectionId, string? Epoch, string? User)> Scoped(CollectingLoggerProvider logs, int eventId) =>
    [
        .. logs.Entries.Where(e => e.EventId.Id == eventId && e.Category.StartsWith("Hub.Client", StringComparison.Ordinal))
            .Select(e => (Value(e, "HubConnectionId"), Value(e, "HubEpoch"), Value(e, "HubUser"))),
    ];

    private static string? Value(CollectingLoggerProvider.Entry entry, string key) =>
        entry.ScopeValues.LastOrDefault(pair => pair.Key == key).Value as string;
}
