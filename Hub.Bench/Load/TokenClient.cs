using System.Net.Http.Json;
using Hub.Contracts;

namespace Hub.Bench.Load;

/// <summary>Gets dev tokens from <c>POST /api/token</c>; one pooled HttpClient for the whole run.</summary>
public sealed class TokenClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client of the server at <paramref name="baseUrl"/>.</summary>
    public TokenClient(Uri baseUrl)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A token for <paramref name="user"/>.</summary>
    public async Task<string> GetAsync(string user, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(HubPaths.Token, new TokenRequest(user), cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return body?.Token ?? throw new InvalidOperationException("The token endpoint returned no token.");
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
