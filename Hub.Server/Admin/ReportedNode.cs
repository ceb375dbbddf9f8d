namespace Hub.Server.Admin;

/// <summary>A node's last report as the store holds it, with how long ago the node's heartbeat was renewed.</summary>
/// <param name="Report">The report.</param>
/// <param name="HeartbeatAge">Time since the node last renewed its heartbeat (embedded mode: since its last report).</param>
public sealed record ReportedNode(NodeReport Report, TimeSpan HeartbeatAge);
