using System.CommandLine;
using System.Diagnostics;
using Hub.Bench.Hosting;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;
using Hub.Bench.Scenarios;

namespace Hub.Bench.Cli;

/// <summary>
/// Runs scenarios against each requested mode. A started topology is fresh for every scenario, so one scenario's
/// rooms, queues and heap growth do not show up in the next one's CPU and memory figures.
/// </summary>
public static class BenchRunner
{
    /// <summary>Runs <paramref name="scenarios"/> (per mode) and prints the results; returns the exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CommonOptions options, Func<TopologyMode, IReadOnlyList<IScenario>> scenarios,
        CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var run = options.RunSettings(parse);
        var clients = options.ClientSettings(parse);
        var hosting = options.HostingOptions(parse);
        var results = new List<ScenarioResult>();
        foreach (var mode in options.Modes(parse))
        {
            foreach (var scenario in scenarios(mode))
            {
                // Every run is bounded: setup, warm-up, duration, drain, plus generous slack for connecting thousands of users.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(run.Warmup + run.Duration + run.Drain + TimeSpan.FromMinutes(4));
                var result = await RunOneAsync(parse, options, mode, scenario, hosting, run, clients, timeout.Token);
                results.Add(result);
                if (!run.Quiet)
                {
                    Console.Error.WriteLine($"[{result.Scenario}/{result.Mode}] {string.Join("  ", ResultColumns.Cells(result).Skip(3).Select((c, i) => $"{ResultColumns.Headers[i + 3]}={c}"))}");
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        var json = new JsonReport(started, "Hub.Bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), Environment.ProcessorCount, results).Serialize();
        if (parse.GetValue(options.JsonOut) is { } jsonOut)
        {
            await File.WriteAllTextAsync(jsonOut, json, CancellationToken.None);
        }

        if (parse.GetValue(options.Json))
        {
            Console.Out.WriteLine(json);
        }
        else if (parse.GetValue(options.Markdown))
        {
            ResultPrinter.WriteMarkdown(results, Console.Out);
        }
        else
        {
            ResultPrinter.WriteTable(results);
        }

        if (hosting.RunDirectory is { } dir && Directory.Exists(dir) && !run.Quiet)
        {
            Console.Error.WriteLine($"Process logs: {dir}");
        }

        return results.Any(r => r.Error is not null || r.Lost > 0 || r.Duplicates > 0) ? 1 : 0;
    }

    private static async Task<ScenarioResult> RunOneAsync(ParseResult parse, CommonOptions options, TopologyMode mode, IScenario scenario,
        HostingOptions hosting, Load.RunSettings run, Load.ClientSettings clients, CancellationToken cancellationToken)
    {
        Topology? topology = null;
        try
        {
            topology = mode == TopologyMode.External
                ? Topology.External(parse.GetValue(options.Url)!, parse.GetValue(options.Pids) ?? [], parse.GetValue(options.RedisPids) ?? [])
                : await Topology.StartAsync(mode, hosting, cancellationToken);
            var context = new ScenarioContext
            {
                Topology = topology,
                Run = run,
                Clients = clients,
                Monitor = new ResourceMonitor(topology.Processes),
                RunId = "b" + Convert.ToHexStringLower(BitConverter.GetBytes(Stopwatch.GetTimestamp()))[..8],
            };
            if (!run.Quiet)
            {
                Console.Error.WriteLine($"[{scenario.Name}/{topology.Label}] {scenario.Parameters} against {topology.BaseUrl}");
            }

            return await scenario.RunAsync(context, cancellationToken);
        }
        catch (Exception ex)
        {
            return new ScenarioResult
            {
                Scenario = scenario.Name,
                Mode = topology?.Label ?? mode.ToString().ToLowerInvariant(),
                Parameters = scenario.Parameters,
                Error = ex is OperationCanceledException ? "cancelled or timed out" : $"{ex.GetType().Name}: {ex.Message}",
            };
        }
        finally
        {
            if (topology is not null)
            {
                await topology.DisposeAsync();
            }
        }
    }
}
