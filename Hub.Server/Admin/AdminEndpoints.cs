using Hub.Server.Admin;
using Hub.Server.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps <c>GET /admin/api/overview</c>, the admin page's data, for operators only.</summary>
public static class AdminEndpoints
{
    /// <summary>The overview's path.</summary>
    public const string OverviewPath = "/admin/api/overview";

    /// <summary>
    /// Maps the overview: 200 with <see cref="AdminOverview"/> for a request carrying the operator key
    /// (<see cref="AdminOptions.ApiKey"/>, header <c>X-Api-Key</c>) or a token with the <see cref="AdminOptions.Role"/>
    /// role; 401 with <c>{error}</c> for anyone else, including everyone when neither is configured.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(OverviewPath, async (HttpContext context, [FromServices] AdminOverviewService overview, [FromServices] IOptions<AdminOptions> options,
            CancellationToken cancellationToken) =>
        {
            if (!IsOperator(context, options.Value))
            {
                return HttpErrors.Error(StatusCodes.Status401Unauthorized, "Operators only: send the operator key in X-Api-Key, or a token with the admin role.");
            }
            // Who watches the cluster and what they saw is nobody else's business, proxies' caches included.
            context.Response.Headers.CacheControl = "no-store";
            return Results.Ok(await overview.GetAsync(cancellationToken));
        });
        return app;
    }

    private static bool IsOperator(HttpContext context, AdminOptions options)
    {
        if (options.ApiKey is { Length: > 0 } key && ApiKeys.Given(context.Request) is { Length: > 0 } given)
        {
            return ApiKeys.Matches(given, key);
        }
        return context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(options.Role);
    }
}
