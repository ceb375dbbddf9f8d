using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Server.Health;

/// <summary>Ready when both namespaces' dispatchers are subscribed to the store and the store is reachable.</summary>
internal sealed class ReadinessCheck(IStoreHealth store, DeliveryDispatcher<ChatHub> chat, DeliveryDispatcher<NotificationsHub> notifications) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!chat.Subscribed.IsCompletedSuccessfully || !notifications.Subscribed.IsCompletedSuccessfully)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Not yet subscribed to the store."));
        }
        return Task.FromResult(store.NotReadyReason is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
    }
}
