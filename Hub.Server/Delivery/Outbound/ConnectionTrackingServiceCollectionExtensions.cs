using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tracking of this node's hub connections for the delivery dispatchers.</summary>
internal static class ConnectionTrackingServiceCollectionExtensions
{
    /// <summary>
    /// Wraps the registered <c>HubLifetimeManager&lt;&gt;</c> (SignalR's default or the Redis backplane) in
    /// <see cref="ConnectionTrackingHubLifetimeManager{THub}"/>. Call it after <c>AddSignalR</c> and the backplane:
    /// whatever replaces the manager afterwards is not tracked (and the dispatchers refuse connections).
    /// </summary>
    public static IServiceCollection AddHubConnectionTracking(this IServiceCollection services)
    {
        var current = services.LastOrDefault(d => d.ServiceType == typeof(HubLifetimeManager<>))
            ?? throw new InvalidOperationException("Call AddSignalR before AddHubConnectionTracking.");
        if (current.ImplementationType == typeof(ConnectionTrackingHubLifetimeManager<>))
        {
            return services;
        }
        var inner = current.ImplementationType
            ?? throw new InvalidOperationException("The registered HubLifetimeManager<> must be an open generic type.");
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.AddSingleton(new InnerHubLifetimeManager(inner));
        services.AddSingleton(typeof(HubConnectionRegistry<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ConnectionTrackingHubLifetimeManager<>));
        return services;
    }
}
