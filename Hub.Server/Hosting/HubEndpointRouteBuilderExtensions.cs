using Hub.Server.Auth;
using Hub.Server.Common;
using Hub.Server.Health;
using Hub.Server.Hubs;
using Hub.Server.Notifications;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Hub's endpoints: the hubs, the HTTP API and health.</summary>
public static class HubEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/hubs/chat</c>, <c>/hubs/notifications</c>, <c>/api/*</c> (token, notifications, stats), <c>/healthz</c> and <c>/readyz</c>.</summary>
    public static WebApplication MapHubEndpoints(this WebApplication app)
    {
        NamespaceHubs.ForEach(new HubMapper(app));
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DevTokens)
        {
            app.MapDevTokens();
        }
        app.MapNotificationsApi();
        app.MapNodeStats();
        app.MapHubMetrics();

        // Liveness: the process answers. Readiness: the store and the subscriptions work.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    private sealed class HubMapper(WebApplication app) : INamespaceHubVisitor
    {
        public void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub => app.MapHub<THub>(THub.Namespace.Path).RequireAuthorization();
    }
}
