namespace Hub.Bench.Measurement;

/// <summary>A process whose CPU and memory are read from /proc, with its role.</summary>
/// <param name="Role">What it is.</param>
/// <param name="Name">A label, e.g. <c>node2</c>.</param>
/// <param name="Pid">Its process id.</param>
public sealed record MonitoredProcess(ProcessRole Role, string Name, int Pid);
