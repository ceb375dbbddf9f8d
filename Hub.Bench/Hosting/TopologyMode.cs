namespace Hub.Bench.Hosting;

/// <summary>What the benchmark runs against.</summary>
public enum TopologyMode
{
    /// <summary>One node, in-memory stores (started by the tool).</summary>
    Embedded,

    /// <summary>One node with Redis stores (both started by the tool).</summary>
    Redis,

    /// <summary>Three nodes with Redis behind nginx (all started by the tool).</summary>
    Cluster,

    /// <summary>A Hub that is already running (<c>--url</c>); only this process is measured unless <c>--pid</c> names others.</summary>
    External,
}
