using Hub.Server.Common;
using Hub.Server.Health;
using Hub.Server.Http;
using Hub.Server.Hubs;

namespace Hub.Server.Hosting;

/// <summary>
/// While a node drains (after SIGTERM), new hub connections are refused with 503 so a balancer or the client takes
/// them to another node at once; without it a client reconnecting in the last instant before Kestrel stopped
/// listening stayed connected until <see cref="ShutdownOptions.Timeout"/>. Connections the node already holds keep
/// working until the drain delay ends: their requests (long polling, Server-Sent Events, a WebSocket after its
/// negotiation) carry the connection's <c>id</c>.
/// </summary>
public static class DrainingRefusalExtensions
{
    /// <summary>The answer a refused connection gets.</summary>
    public const string Message = "This node is shutting down; connect to another.";

    /// <summary>Refuses new connections to every namespace's hub while <see cref="ShutdownState.Draining"/>.</summary>
    public static WebApplication UseHubDrainingRefusal(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<ShutdownState>();
        var paths = new NamespacePaths();
        NamespaceHubs.ForEach(paths);
        PathString[] hubs = [.. paths];
        app.Use(async (context, next) =>
        {
            if (state.Draining && IsNewConnection(context.Request, hubs))
            {
                context.Response.Headers.RetryAfter = "1";
                await HttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Message);
                return;
            }
            await next(context);
        });
        return app;
    }

    // A negotiation, or a connect that skips it (a WebSocket with no connection id): what a new client sends first.
    private static bool IsNewConnection(HttpRequest request, PathString[] hubs)
    {
        foreach (var hub in hubs)
        {
            if (request.Path.StartsWithSegments(hub, StringComparison.OrdinalIgnoreCase, out var rest))
            {
                return rest.Equals("/negotiate", StringComparison.OrdinalIgnoreCase)
                    || (!rest.HasValue && !request.Query.ContainsKey("id"));
            }
        }
        return false;
    }

    private sealed class NamespacePaths : List<PathString>, INamespaceHubVisitor
    {
        public void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub => Add(THub.Namespace.Path);
    }
}
