using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Hub.Client;
using Hub.Server.Admin;
using Hub.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hub.Tests.Admin;

/// <summary>How the admin tests call <c>GET /admin/api/overview</c> and make the tokens it is asked with.</summary>
public static class AdminApi
{
    /// <summary>The operator key the admin tests configure.</summary>
    public const string Key = "admin-test-key-0123456789";

    /// <summary>Settings for a host whose overview answers <see cref="Key"/>, samples every second and caches nothing.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Admin:ApiKey"] = Key,
        ["Admin:SampleInterval"] = "00:00:01",
        ["Admin:SampleWindow"] = "00:01:00",
        ["Admin:CacheDuration"] = "00:00:00",
    };

    /// <summary>Asks for the overview with the given headers.</summary>
    public static async Task<HttpResponseMessage> RequestAsync(HubTestHost host, string? key = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/api/overview");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }
        return await host.Http.SendAsync(request);
    }

    /// <summary>The overview, asked with <see cref="Key"/>.</summary>
    public static async Task<AdminOverview> GetAsync(HubTestHost host)
    {
        using var response = await RequestAsync(host, Key);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AdminOverview>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Polls the overview until <paramref name="condition"/> holds; returns the one that satisfied it.</summary>
    public static async Task<AdminOverview> WaitForAsync(HubTestHost host, Func<AdminOverview, bool> condition, string what)
    {
        AdminOverview? last = null;
        try
        {
            await Poll.UntilAsync(async _ => condition(last = await GetAsync(host)), what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; last overview: {JsonSerializer.Serialize(last, JsonSerializerOptions.Web)}", ex);
        }
        return last!;
    }

    /// <summary>
    /// Real traffic to look at: <paramref name="alice"/> makes room <c>general</c>, <paramref name="bob"/> joins, carol
    /// joins and leaves, so her queue keeps what alice then sends: <paramref name="sends"/> messages <c>m0</c>, <c>m1</c>...
    /// </summary>
    public static async Task RoomWithAnOfflineMemberAsync(HubTestHost host, HubUser<ChatClient> alice, HubUser<ChatClient> bob, int sends)
    {
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await using (var carol = await host.ChatAsync("carol"))
        {
            await carol.Client.JoinRoomAsync("general");
        }
        for (var i = 0; i < sends; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }
        await bob.WaitForMessageAsync($"m{sends - 1}");
    }

    /// <summary>A token signed with the test hosts' key, for <paramref name="user"/> with the given roles (claim <c>role</c>).</summary>
    public static string Token(string user, params string[] roles) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", user), .. roles.Select(r => new Claim("role", r))]),
        Issuer = "hub",
        Audience = "hub",
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey("hub-tests-signing-key-0123456789abcdef"u8.ToArray()),
            SecurityAlgorithms.HmacSha256),
    });
}
