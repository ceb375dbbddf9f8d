using Hub.Server.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hub's meter and, when something exports them, OpenTelemetry's metrics and traces pipelines.</summary>
public static class TelemetryServiceCollectionExtensions
{
    // ASP.NET Core's own meters: requests, Kestrel connections, SignalR's HTTP connections.
    private static readonly string[] FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections"];

    // SignalR's hub method activities: each invocation its own trace (no parent), so a hub.send is not buried under
    // the hours-long WebSocket request, and a .NET client's trace context, when it sends one, is its parent.
    private const string SignalRServerSource = "Microsoft.AspNetCore.SignalR.Server";

    /// <summary>Adds <see cref="HubMetrics"/> (the instruments Hub's code records to) and binds <see cref="MetricsOptions"/>.</summary>
    public static IServiceCollection AddHubMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<HubMetrics>();
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        return services;
    }

    /// <summary>
    /// Collects Hub's, ASP.NET Core's, Kestrel's, SignalR's and the runtime's meters for the Prometheus endpoint
    /// (when it is on: <see cref="MetricsOptions.PrometheusOptions.IsOn"/>) and for OTLP (when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the other <c>OTEL_*</c> variables apply). With neither, nothing is
    /// collected, so the instruments cost next to nothing. Traces (<see cref="HubActivities"/> and ASP.NET Core's
    /// requests) are exported by OTLP only; without it nothing listens to them and no activity is created.
    /// </summary>
    public static IServiceCollection AddHubTelemetryExport(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var prometheus = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.Prometheus ?? new();
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!prometheus.IsOn(environment) && !otlp)
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry().WithMetrics(builder =>
        {
            builder.AddMeter(HubMetrics.MeterName).AddMeter(FrameworkMeters).AddRuntimeInstrumentation();
            if (prometheus.IsOn(environment))
            {
                builder.AddPrometheusExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(builder => builder.AddSource(HubActivities.SourceName, SignalRServerSource).AddAspNetCoreInstrumentation());
            telemetry.UseOtlpExporter();
        }
        return services;
    }
}
