using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Tests.Hubs;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Deployment;

/// <summary>
/// The Grafana dashboard shipped in deploy/ may only chart what a node exports: every metric its queries name is
/// looked for in a real node's <c>/metrics</c> after ordinary traffic. Runs with the metrics tests, alone.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class DashboardTests
{
    [Fact]
    public async Task Every_metric_the_grafana_dashboard_queries_is_exported_by_a_node_after_ordinary_traffic()
    {
        var (metrics, labels) = DashboardQueries();
        Assert.Contains("hub_messages_stored_total", metrics);
        Assert.Contains("hub_namespace", labels);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Metrics:Prometheus:Enabled"] = "true" });
        var (alice, bob) = await MetricsTests.OrdinaryTrafficAsync(host);
        await using var _ = alice;
        await using var __ = bob;

        string[] missing = [];
        try
        {
            await Poll.UntilAsync(async token =>
            {
                var text = await host.Http.GetStringAsync("metrics", token);
                missing =
                [
                    .. metrics.Where(name => !Regex.IsMatch(text, $@"^{name}[{{ ]", RegexOptions.Multiline)),
                    .. labels.Where(label => !text.Contains($"{label}=\"", StringComparison.Ordinal)).Select(label => $"label {label}"),
                ];
                return missing.Length == 0;
            }, "every metric of the dashboard is in the scrape");
        }
        catch (TimeoutException)
        {
            // Named below: the metrics still missing.
        }

        Assert.Empty(missing);
    }

    // The metric names and grouping labels in the dashboard's PromQL. Labels Prometheus adds itself (instance) and
    // a histogram's le are not in a node's output.
    private static (HashSet<string> Metrics, HashSet<string> Labels) DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository.Path("deploy", "grafana", "dashboards", "hub.json")));
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!;
                foreach (Match grouping in Grouping().Matches(expr))
                {
                    labels.UnionWith(grouping.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Where(l => l is not ("instance" or "le")));
                }
                metrics.UnionWith(MetricName().Matches(Grouping().Replace(expr, "")).Select(m => m.Value));
            }
        }
        return (metrics, labels);
    }

    [GeneratedRegex(@"\b(?:by|without)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b(?:hub|dotnet|http|kestrel|signalr)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
