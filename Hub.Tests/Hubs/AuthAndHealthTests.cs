using System.Net;
using System.Net.Http.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>Tokens, who may connect, and the health endpoints.</summary>
public sealed class AuthAndHealthTests
{
    [Fact]
    public async Task The_token_endpoint_refuses_invalid_user_names_with_a_message()
    {
        await using var host = await HubTestHost.StartAsync();

        var response = await host.Http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest("al ice"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid user name 'al ice'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Connecting_without_a_valid_token_is_refused()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var anonymous = new ChatClient(host.BaseAddress, new HubClientOptions());
        await using var forged = new ChatClient(host.BaseAddress, new HubClientOptions { AccessTokenProvider = _ => ValueTask.FromResult<string?>("not-a-jwt") });

        var none = await Assert.ThrowsAsync<HubConnectionException>(() => anonymous.StartAsync());
        var bad = await Assert.ThrowsAsync<HubConnectionException>(() => forged.StartAsync());

        Assert.True(none.IsAuthenticationFailure);
        Assert.True(bad.IsAuthenticationFailure);
    }

    [Fact]
    public async Task With_dev_tokens_off_there_is_no_token_endpoint()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Auth:DevTokens"] = "false" });

        var response = await host.Http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest("alice"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_and_readiness_answer_200_in_embedded_mode()
    {
        await using var host = await HubTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("healthz")).StatusCode);
        var ready = await host.Http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}
