namespace Hub.Bench.Measurement;

/// <summary>Every monitored process read at one moment, plus machine-wide CPU ticks.</summary>
/// <param name="Timestamp">Stopwatch timestamp of the reading.</param>
/// <param name="Processes">Each process with its reading.</param>
/// <param name="MachineBusyTicks">Machine-wide non-idle ticks.</param>
/// <param name="MachineTotalTicks">Machine-wide ticks.</param>
public sealed record ResourceSnapshot(
    long Timestamp,
    IReadOnlyList<(MonitoredProcess Process, ProcessSample Sample)> Processes,
    long MachineBusyTicks,
    long MachineTotalTicks);
