namespace Hub.Bench.Measurement;

/// <summary>One reading of a process from /proc.</summary>
/// <param name="CpuTicks">User plus system time in clock ticks (/proc/PID/stat fields 14 and 15).</param>
/// <param name="RssBytes">Resident memory now (VmRSS).</param>
/// <param name="PeakRssBytes">Highest resident memory since the process started (VmHWM).</param>
public readonly record struct ProcessSample(long CpuTicks, long RssBytes, long PeakRssBytes);
