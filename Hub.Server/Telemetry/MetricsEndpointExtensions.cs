using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Prometheus scrape endpoint.</summary>
public static class MetricsEndpointExtensions
{
    /// <summary>
    /// Maps <c>GET /metrics</c> when <see cref="MetricsOptions.PrometheusOptions.Enabled"/> (default: Development
    /// only), behind <see cref="MetricsOptions.PrometheusOptions.ApiKey"/> when one is set.
    /// </summary>
    public static WebApplication MapHubMetrics(this WebApplication app)
    {
        var prometheus = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Prometheus;
        if (!prometheus.IsOn(app.Environment))
        {
            return app;
        }
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (prometheus.ApiKey is { Length: > 0 } key && !KeyMatches(context.Request.Headers["X-Api-Key"].ToString(), key))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { error = "Missing or invalid X-Api-Key header." });
                return;
            }
            await next(context);
        }), optionsName: null);
        return app;
    }

    private static bool KeyMatches(string given, string key) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(key));
}
