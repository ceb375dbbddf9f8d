using System.Net.Http.Json;
using Hub.Contracts;

namespace Hub.Tests.Infrastructure;

/// <summary>Signs a user in through a server's dev token endpoint (<c>Auth:DevTokens</c> on), as every test user is.</summary>
public static class DevTokens
{
    /// <summary>A token for <paramref name="user"/> from the server <paramref name="http"/> points at.</summary>
    public static async Task<string> RequestAsync(HttpClient http, string user)
    {
        var response = await http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest(user));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }
}
