namespace Hub.Server.Health;

/// <summary>What <c>GET /api/stats</c> returns.</summary>
/// <param name="Host">Machine name.</param>
/// <param name="ProcessId">Process id.</param>
/// <param name="ChatConnections">Live connections to <c>/hubs/chat</c> on this node.</param>
/// <param name="NotificationConnections">Live connections to <c>/hubs/notifications</c> on this node.</param>
public sealed record NodeStats(string Host, int ProcessId, int ChatConnections, int NotificationConnections);
