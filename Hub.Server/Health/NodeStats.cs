namespace Hub.Server.Health;

/// <summary>What <c>GET /api/stats</c> returns: counts only, nothing that identifies the host, the process or users.</summary>
/// <param name="ChatConnections">Live connections to <c>/hubs/chat</c> on this node.</param>
/// <param name="NotificationConnections">Live connections to <c>/hubs/notifications</c> on this node.</param>
public sealed record NodeStats(int ChatConnections, int NotificationConnections);
