using Hub.Server.Delivery;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Server.Health;

/// <summary>
/// Ready when every namespace's dispatcher is subscribed to the store and the store is reachable, and the node is not
/// shutting down.
/// </summary>
internal sealed class ReadinessCheck(IStoreHealth store, IEnumerable<INamespaceDispatcher> dispatchers, ShutdownState shutdown) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (shutdown.Draining)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Shutting down."));
        }
        if (!dispatchers.All(dispatcher => dispatcher.Subscribed.IsCompletedSuccessfully))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Not yet subscribed to the store."));
        }
        return Task.FromResult(store.NotReadyReason is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
    }
}
