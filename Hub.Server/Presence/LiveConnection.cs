namespace Hub.Server.Presence;

/// <summary>One connection this node holds.</summary>
/// <param name="Ns">The namespace's name.</param>
/// <param name="User">The connection's user.</param>
/// <param name="ConnectionId">The SignalR connection id.</param>
public readonly record struct LiveConnection(string Ns, string User, string ConnectionId);
