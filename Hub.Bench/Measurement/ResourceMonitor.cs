using System.Diagnostics;

namespace Hub.Bench.Measurement;

/// <summary>
/// Reads the server processes (and redis-server's, nginx's and its own) before and after a measured window, and
/// samples resident memory while it runs, because VmHWM is a peak since process start, not since the window began.
/// </summary>
public sealed class ResourceMonitor
{
    private readonly IReadOnlyList<MonitoredProcess> _processes;
    private readonly Dictionary<int, long> _peakRss = [];
    private readonly Lock _gate = new();

    /// <summary>Monitors <paramref name="processes"/> and this process.</summary>
    public ResourceMonitor(IEnumerable<MonitoredProcess> processes)
    {
        _processes = [.. processes, new MonitoredProcess(ProcessRole.Bench, "bench", Environment.ProcessId)];
    }

    /// <summary>The monitored processes.</summary>
    public IReadOnlyList<MonitoredProcess> Processes => _processes;

    /// <summary>Reads every process now, and restarts peak tracking from here.</summary>
    public ResourceSnapshot Start()
    {
        var snapshot = Snapshot();
        lock (_gate)
        {
            _peakRss.Clear();
            foreach (var (process, sample) in snapshot.Processes)
            {
                _peakRss[process.Pid] = sample.RssBytes;
            }
        }

        return snapshot;
    }

    /// <summary>Reads every process now.</summary>
    public ResourceSnapshot Snapshot()
    {
        var (busy, total) = ProcFs.ReadMachineTicks();
        var samples = _processes.Select(p => (p, ProcFs.Read(p.Pid))).ToList();
        lock (_gate)
        {
            foreach (var (process, sample) in samples)
            {
                _peakRss[process.Pid] = Math.Max(_peakRss.GetValueOrDefault(process.Pid), sample.RssBytes);
            }
        }

        return new ResourceSnapshot(Stopwatch.GetTimestamp(), samples, busy, total);
    }

    /// <summary>Takes a memory sample for peak tracking (called by the progress loop).</summary>
    public void SamplePeaks() => Snapshot();

    /// <summary>The usage between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public ResourceUsage Between(ResourceSnapshot from, ResourceSnapshot to)
    {
        double CpuMs(ProcessRole role) => ProcFs.TicksToMicroseconds(
            to.Processes.Where(p => p.Process.Role == role).Sum(p => p.Sample.CpuTicks)
            - from.Processes.Where(p => p.Process.Role == role).Sum(p => p.Sample.CpuTicks)) / 1000.0;

        double RssMb(ResourceSnapshot s, ProcessRole role) => s.Processes.Where(p => p.Process.Role == role).Sum(p => p.Sample.RssBytes) / 1048576.0;

        double PeakMb(ProcessRole role)
        {
            lock (_gate)
            {
                return _processes.Where(p => p.Role == role).Sum(p => _peakRss.GetValueOrDefault(p.Pid)) / 1048576.0;
            }
        }

        var machineTotal = to.MachineTotalTicks - from.MachineTotalTicks;
        var ours = to.Processes.Sum(p => p.Sample.CpuTicks) - from.Processes.Sum(p => p.Sample.CpuTicks);
        var machineBusy = to.MachineBusyTicks - from.MachineBusyTicks;
        return new ResourceUsage(
            Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds,
            CpuMs(ProcessRole.Server),
            CpuMs(ProcessRole.Redis),
            CpuMs(ProcessRole.Proxy),
            CpuMs(ProcessRole.Bench),
            machineTotal > 0 ? 100.0 * machineBusy / machineTotal : 0,
            machineTotal > 0 ? Math.Max(0, 100.0 * (machineBusy - ours) / machineTotal) : 0,
            PeakMb(ProcessRole.Server),
            RssMb(from, ProcessRole.Server),
            RssMb(to, ProcessRole.Server),
            PeakMb(ProcessRole.Redis));
    }
}
