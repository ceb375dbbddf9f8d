using System.Net;
using System.Net.Http.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>A node stopped with SIGTERM (a rolling restart) leaves without making anyone handle an error.</summary>
public sealed class GracefulShutdownTests
{
    private const string SigningKey = "graceful-shutdown-signing-key-0123456789";

    [Fact]
    public async Task On_sigterm_a_node_reports_not_ready_at_once_then_asks_its_clients_to_reconnect_and_exits_cleanly()
    {
        await using var node = await HubServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:DevTokens"] = "true",
            ["Shutdown:DrainDelay"] = "00:00:02",
            ["Shutdown:Timeout"] = "00:00:10",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Address}/") };
        var token = (await (await http.PostAsync(HubPaths.Token.TrimStart('/'), JsonContent.Create(new TokenRequest("alice"))))
            .Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        await using var alice = new ChatClient(http.BaseAddress, new HubClientOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            ReconnectInitialDelay = TimeSpan.FromMinutes(1),
        });
        var reconnecting = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        alice.Reconnecting += e => reconnecting.TrySetResult(e);
        await alice.StartAsync();

        await node.TerminateAsync();

        // Still serving, but no longer ready: a balancer stops sending it new clients while it drains.
        await Poll.UntilAsync(async t => (await http.GetAsync("readyz", t)).StatusCode == HttpStatusCode.ServiceUnavailable,
            "the node reports not ready while it drains");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.False(reconnecting.Task.IsCompleted, "clients are asked to leave only after the drain delay");

        // Then the client is told to reconnect (not an error to handle), and the process exits on its own, cleanly.
        var closed = Assert.IsType<HubConnectionClosedException>(await reconnecting.Task.OrTimeout());
        Assert.True(closed.AllowReconnect);
        Assert.Contains("shutting down", closed.Message);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }
}
