using Hub.Server.Http;
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
            if (prometheus.ApiKey is { Length: > 0 } key && !ApiKeys.Matches(ApiKeys.Given(context.Request), key))
            {
                await HttpErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "Missing or invalid X-Api-Key header.");
                return;
            }
            await next(context);
        }), optionsName: null);
        return app;
    }
}
