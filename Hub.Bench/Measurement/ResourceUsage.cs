namespace Hub.Bench.Measurement;

/// <summary>CPU and memory used between two snapshots, summed by role.</summary>
/// <param name="WallSeconds">Time between the snapshots.</param>
/// <param name="ServerCpuMs">CPU time of every Hub.Server node.</param>
/// <param name="RedisCpuMs">CPU time of redis-server.</param>
/// <param name="ProxyCpuMs">CPU time of nginx.</param>
/// <param name="BenchCpuMs">CPU time of this load generator.</param>
/// <param name="MachineBusyPercent">How busy the whole machine was (100 % = every core busy).</param>
/// <param name="OtherCpuPercent">
/// CPU used by processes outside the run (other builds and tests on a shared machine), as a share of the machine:
/// when it is high, latency figures suffer from contention that is not the Hub's.
/// </param>
/// <param name="ServerPeakRssMb">Highest resident memory of the nodes seen during the window, summed over nodes.</param>
/// <param name="ServerRssStartMb">Resident memory of the nodes at the first snapshot, summed.</param>
/// <param name="ServerRssEndMb">Resident memory of the nodes at the second snapshot, summed.</param>
/// <param name="RedisPeakRssMb">Highest resident memory of redis-server seen during the window.</param>
public sealed record ResourceUsage(
    double WallSeconds,
    double ServerCpuMs,
    double RedisCpuMs,
    double ProxyCpuMs,
    double BenchCpuMs,
    double MachineBusyPercent,
    double OtherCpuPercent,
    double ServerPeakRssMb,
    double ServerRssStartMb,
    double ServerRssEndMb,
    double RedisPeakRssMb);
