using Hub.Server.Common;
using Hub.Server.Delivery;
using Microsoft.AspNetCore.Mvc;

namespace Hub.Server.Health;

/// <summary>
/// <c>GET /api/stats</c>: this node's live connections per namespace. Operators (and the cluster tests) use it to
/// see how a load balancer spreads clients. It is public, so it tells counts only: no host name, process id or
/// user (a stranger learns nothing to aim at).
/// </summary>
public static class NodeStatsEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapNodeStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", ([FromServices] IEnumerable<INamespaceDispatcher> dispatchers) =>
        {
            var connections = dispatchers.ToDictionary(d => d.Namespace, d => d.ConnectionCount);
            return Results.Ok(new NodeStats(connections[HubNamespace.Chat], connections[HubNamespace.Notifications]));
        });
        return app;
    }
}
