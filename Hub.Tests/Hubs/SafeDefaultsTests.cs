using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Contracts;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Hubs;

/// <summary>What a node does out of the box: who can get a token, what its responses say, what reaches its log.</summary>
public sealed class SafeDefaultsTests
{
    private const string SigningKey = "safe-defaults-signing-key-0123456789abcdef";

    [Fact]
    public async Task Outside_Development_the_token_endpoint_is_off_unless_configured()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Auth:DevTokens"] = null });

        var response = await host.Http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest("alice"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_node_serving_dev_tokens_outside_Development_warns_at_start()
    {
        await using var node = await HubServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:DevTokens"] = "true",
        }, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        await Poll.UntilAsync(_ => Task.FromResult(node.Output().Contains("Auth:DevTokens is on in the Production environment", StringComparison.Ordinal)),
            "the node warned that dev tokens are on");
    }

    [Fact]
    public async Task In_Development_started_from_another_folder_the_node_loads_its_settings_and_serves_the_page()
    {
        var elsewhere = Directory.CreateTempSubdirectory("hub-cwd-").FullName;
        try
        {
            // No settings at all: what `dotnet run` (the Development launch profile) gives a newcomer.
            await using var node = await HubServerProcess.StartAsync(new Dictionary<string, string>(),
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, elsewhere);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{node.Address}/") };

            var page = await http.GetAsync("");
            var token = await http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest("alice"));

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync());
            // Dev tokens come from appsettings.Development.json, so this also shows the settings file was found.
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task The_page_is_served_with_security_headers_and_no_server_header()
    {
        await using var host = await HubTestHost.StartAsync();

        foreach (var path in new[] { "", "api/stats" })
        {
            var response = await host.Http.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("connect-src 'self'", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.False(response.Headers.Contains("Server"), $"{path}: no Server header");
        }
    }

    [Fact]
    public async Task Node_stats_tell_counts_only()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");

        // The handshake completes before the hub's OnConnectedAsync registers the connection: wait for the count.
        var stats = default(JsonElement);
        await Poll.UntilAsync(async token =>
        {
            stats = await host.Http.GetFromJsonAsync<JsonElement>("api/stats", token);
            return stats.GetProperty("chatConnections").GetInt32() == 1;
        }, "the node counts alice's connection");

        Assert.Equal(["chatConnections", "notificationConnections"], stats.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task The_notification_api_answers_415_to_a_body_that_is_not_json()
    {
        await using var host = await HubTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = new StringContent("""{"to":{"all":true},"type":"t"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);

        var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Access_tokens_in_request_urls_never_reach_the_log_even_with_request_logging_on()
    {
        var log = new CollectingLoggerProvider();
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        }, configure: builder => builder.Logging.AddProvider(log));
        var token = await host.TokenAsync("alice");

        // As a browser's SignalR client connects: the token rides in the query string.
        await host.Http.PostAsync($"hubs/chat/negotiate?negotiateVersion=1&access_token={token}", null);
        await host.Http.GetAsync($"api/stats?access_token={token}&x=1");

        var entries = log.Entries;
        var requestLines = entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal)).ToList();
        Assert.Contains(requestLines, e => e.Message.Contains("access_token=***&x=1", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Message.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Values.Any(v => v.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true));
    }
}
