namespace Hub.Server.Telemetry;

/// <summary>Where Hub's metrics go. Bound from the <c>Metrics</c> section; OTLP export is configured by the standard
/// <c>OTEL_*</c> environment variables instead (on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).</summary>
public sealed class MetricsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Metrics";

    /// <summary>The Prometheus scrape endpoint.</summary>
    public PrometheusOptions Prometheus { get; set; } = new();

    /// <summary>The Prometheus scrape endpoint, <c>GET /metrics</c>.</summary>
    public sealed class PrometheusOptions
    {
        /// <summary>
        /// Serve <c>/metrics</c>. Default: on in the Development environment, off elsewhere (what a node does and how
        /// busy it is is for its operators).
        /// </summary>
        public bool? Enabled { get; set; }

        /// <summary>When set, <c>/metrics</c> answers only requests with this value in <c>X-Api-Key</c> (401 otherwise).</summary>
        public string? ApiKey { get; set; }

        /// <summary>Whether <c>/metrics</c> is served in <paramref name="environment"/>.</summary>
        public bool IsOn(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();
    }
}
