namespace Hub.Bench.Hosting;

/// <summary>How the tool starts a topology itself (<c>--start</c>).</summary>
public sealed class HostingOptions
{
    /// <summary>The built server, run as <c>dotnet Hub.Server.dll</c>.</summary>
    public required string ServerDll { get; init; }

    /// <summary>Where configs and process logs go.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Nodes of the cluster mode.</summary>
    public int ClusterNodes { get; init; } = 3;

    /// <summary>
    /// Shared token signing key: the nodes of a cluster must accept each other's tokens, and a fixed key lets the
    /// tool reuse one token per user whichever node issued it.
    /// </summary>
    public string SigningKey { get; init; } = "hub-bench-signing-key-0123456789abcdef";

    /// <summary>More <c>--Key=Value</c> configuration passed to every node (<c>--server-arg</c>).</summary>
    public IReadOnlyList<string> ExtraServerArguments { get; init; } = [];

    /// <summary>Environment variables for every node (<c>--server-env</c>), e.g. runtime knobs or <c>DOTNET_PerfMapEnabled=1</c> for perf.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>nginx worker processes in the cluster mode.</summary>
    public int NginxWorkers { get; init; } = 1;
}
