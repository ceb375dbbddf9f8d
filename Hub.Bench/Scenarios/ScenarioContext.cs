using Hub.Bench.Hosting;
using Hub.Bench.Load;
using Hub.Bench.Measurement;

namespace Hub.Bench.Scenarios;

/// <summary>What a scenario gets to run: the topology, timing, client settings and a unique name prefix.</summary>
public sealed class ScenarioContext
{
    /// <summary>What to drive.</summary>
    public required Topology Topology { get; init; }

    /// <summary>Timing and shape of load phases.</summary>
    public required RunSettings Run { get; init; }

    /// <summary>How users connect.</summary>
    public required ClientSettings Clients { get; init; }

    /// <summary>Reads the topology's processes.</summary>
    public required ResourceMonitor Monitor { get; init; }

    /// <summary>
    /// Prefix of every user and room name of this run, so runs against a long-lived Hub (<c>--url</c>) never share a
    /// room or a queue with an earlier run.
    /// </summary>
    public required string RunId { get; init; }

    /// <summary>Progress line label prefix, e.g. <c>fanout/redis</c>.</summary>
    public string Label(string scenario) => $"{scenario}/{Topology.Label}";
}
