using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Server.Health;

/// <summary>
/// Ready when both namespaces' dispatchers are subscribed to the store and the store is reachable, and the node is not
/// shutting down.
/// </summary>
internal sealed class ReadinessCheck(IStoreHealth store, DeliveryDispatcher<ChatHub> chat, DeliveryDispatcher<NotificationsHub> notifications,
    ShutdownState shutdown) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (shutdown.Draining)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Shutting down."));
        }
        if (!chat.Subscribed.IsCompletedSuccessfully || !notifications.Subscribed.IsCompletedSuccessfully)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Not yet subscribed to the store."));
        }
        return Task.FromResult(store.NotReadyReason is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
    }
}
