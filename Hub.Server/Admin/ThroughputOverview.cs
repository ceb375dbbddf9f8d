namespace Hub.Server.Admin;

/// <summary>The cluster's throughput: every listed node's samples summed per interval.</summary>
/// <param name="IntervalSeconds">The length of one sample.</param>
/// <param name="Samples">The sums, oldest first.</param>
public sealed record ThroughputOverview(long IntervalSeconds, IReadOnlyList<ThroughputSample> Samples);
