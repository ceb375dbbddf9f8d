namespace Hub.Server.Admin;

/// <summary>A node in the overview.</summary>
/// <param name="Id">Its id.</param>
/// <param name="HeartbeatAgeSeconds">Seconds since it last renewed its heartbeat (embedded: since its last report).</param>
/// <param name="Connections">Its live connections by namespace.</param>
public sealed record NodeOverview(string Id, double HeartbeatAgeSeconds, IReadOnlyDictionary<string, int> Connections);
