using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Http;

namespace Hub.Server.Auth;

/// <summary><c>POST /api/token</c>: a token for any valid user name (only while <c>Auth:DevTokens</c> is on).</summary>
public static partial class DevTokenEndpoints
{
    /// <summary>Maps the endpoint; outside the Development environment it warns that anyone can act as anyone.</summary>
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            Log.DevTokensOutsideDevelopment(app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevTokenEndpoints)),
                app.ServiceProvider.GetRequiredService<IHostEnvironment>().EnvironmentName);
        }
        app.MapPost(HubPaths.Token, (HttpRequest request, TokenIssuer issuer, CancellationToken cancellationToken) => HttpErrors.Guard(async () =>
        {
            TokenRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<TokenRequest>(cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
            {
                return HttpErrors.Error(StatusCodes.Status400BadRequest, "Send JSON: {\"user\":\"alice\"}.");
            }
            return Results.Ok(new TokenResponse(issuer.Issue(Names.User(body?.User))));
        }));
        return app;
    }
}
