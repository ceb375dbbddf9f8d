using System.Globalization;

namespace Hub.Bench.Reporting;

/// <summary>
/// The columns of the final table, shared by the terminal table and the Markdown output so that what is pasted into
/// docs/benchmarks.md is exactly what the run printed.
/// </summary>
public static class ResultColumns
{
    /// <summary>Column headers.</summary>
    public static IReadOnlyList<string> Headers { get; } =
    [
        "scenario", "mode", "parameters", "sent/s", "delivered/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "lost", "dup",
        "server µs/dlv", "srv+redis µs/dlv", "nginx µs/dlv", "bench µs/dlv", "machine busy", "other procs", "server peak MB",
    ];

    /// <summary>One row's cells.</summary>
    public static IReadOnlyList<string> Cells(ScenarioResult r)
    {
        var usage = r.Resources;
        return
        [
            r.Scenario,
            r.Mode,
            r.Parameters,
            r.SentPerSecond > 0 ? Number(r.SentPerSecond) : "-",
            r.DeliveredPerSecond > 0 ? Number(r.DeliveredPerSecond) : "-",
            Ms(r.Latency?.Count > 0 ? r.Latency.P50Ms : null),
            Ms(r.Latency?.Count > 0 ? r.Latency.P95Ms : null),
            Ms(r.Latency?.Count > 0 ? r.Latency.P99Ms : null),
            Ms(r.Latency?.Count > 0 ? r.Latency.MaxMs : null),
            r.Error is null ? r.Lost.ToString(CultureInfo.InvariantCulture) : "-",
            r.Error is null ? r.Duplicates.ToString(CultureInfo.InvariantCulture) : "-",
            Us(r.ServerCpuUsPerDelivery),
            Us(r.StoreCpuUsPerDelivery),
            Us(r.ProxyCpuUsPerDelivery),
            Us(r.BenchCpuUsPerDelivery),
            usage is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{usage.MachineBusyPercent:0}%"),
            usage is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{usage.OtherCpuPercent:0}%"),
            usage is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{usage.ServerPeakRssMb:0}"),
        ];
    }

    /// <summary>The scenario-specific figures and notes as one line, or empty.</summary>
    public static string Details(ScenarioResult r)
    {
        var parts = r.Extra.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={Compact(kv.Value)}")).ToList();
        if (r.SendLatency is { Count: > 0 } send)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"send_p99_ms={send.P99Ms:0.0#}"));
        }

        if (r.OutOfOrder > 0)
        {
            parts.Add($"out_of_order={r.OutOfOrder}");
        }

        if (r.Reconnects > 0)
        {
            parts.Add($"reconnects={r.Reconnects}");
        }

        if (r.SendErrors > 0)
        {
            parts.Add($"send_errors={r.SendErrors}");
        }

        parts.AddRange(r.Notes);
        if (r.Error is not null)
        {
            parts.Add("ERROR: " + r.Error);
        }

        return string.Join("; ", parts);
    }

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) : "-";

    private static string Us(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Compact(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-9 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
