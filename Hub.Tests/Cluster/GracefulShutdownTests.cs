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

    [Fact]
    public async Task While_a_node_drains_it_refuses_new_connections_with_503_and_keeps_serving_the_ones_it_has()
    {
        await using var node = await HubServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:DevTokens"] = "true",
            ["Shutdown:DrainDelay"] = "00:00:05",
            ["Shutdown:Timeout"] = "00:00:15",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Address}/") };
        var token = (await (await http.PostAsync(HubPaths.Token.TrimStart('/'), JsonContent.Create(new TokenRequest("alice"))))
            .Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        await using var alice = new ChatClient(http.BaseAddress, new HubClientOptions { AccessTokenProvider = _ => ValueTask.FromResult<string?>(token) });
        await alice.StartAsync();
        await alice.CreateRoomAsync("general");

        await node.TerminateAsync();
        await Poll.UntilAsync(async t => (await http.GetAsync("readyz", t)).StatusCode == HttpStatusCode.ServiceUnavailable,
            "the node reports not ready while it drains");

        // A new client, negotiating or not, is sent elsewhere at once (nginx tries the next node on a 503).
        foreach (var path in new[] { HubPaths.Chat + "/negotiate?negotiateVersion=1", HubPaths.Notifications + "/negotiate", HubPaths.Chat })
        {
            using var request = new HttpRequestMessage(path.Contains("negotiate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path.TrimStart('/'));
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("shutting down", await response.Content.ReadAsStringAsync());
        }
        // A request of a connection the node holds (it carries the connection's id) is not refused by the drain.
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(HubPaths.Chat.TrimStart('/') + "?id=some-connection")).StatusCode);
        // And the connection it holds keeps working until the drain delay ends.
        await alice.SendToRoomAsync("general", "still here");

        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }
}
