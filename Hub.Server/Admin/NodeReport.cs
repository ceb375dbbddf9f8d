namespace Hub.Server.Admin;

/// <summary>What a node reports about itself at every sample: its live connections and its recent samples.</summary>
/// <param name="Id">The node's id (cluster mode: its Redis node id).</param>
/// <param name="Connections">Live connections by namespace name.</param>
/// <param name="Samples">Its throughput samples over the sample window, oldest first.</param>
public sealed record NodeReport(string Id, IReadOnlyDictionary<string, int> Connections, IReadOnlyList<ThroughputSample> Samples);
