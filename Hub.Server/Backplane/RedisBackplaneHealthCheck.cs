using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hub.Server.Backplane;

/// <summary>Readiness: the backplane's Redis connection is up (a client connecting now could not join its groups otherwise).</summary>
internal sealed class RedisBackplaneHealthCheck(RedisBackplaneConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The backplane's Redis connection is down."));
}
