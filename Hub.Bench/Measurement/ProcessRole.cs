namespace Hub.Bench.Measurement;

/// <summary>What a measured process is, so its CPU is counted in the right column.</summary>
public enum ProcessRole
{
    /// <summary>A Hub.Server node.</summary>
    Server,

    /// <summary>redis-server.</summary>
    Redis,

    /// <summary>nginx (master and workers).</summary>
    Proxy,

    /// <summary>This load generator.</summary>
    Bench,
}
