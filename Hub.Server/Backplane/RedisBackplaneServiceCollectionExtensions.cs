using Hub.Server.Backplane;
using Hub.Server.Storage.Redis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis backplane.</summary>
public static class RedisBackplaneServiceCollectionExtensions
{
    /// <summary>
    /// Makes every hub use <see cref="RedisHubLifetimeManager{THub}"/> (replacing SignalR's in-memory manager whether
    /// <c>AddSignalR</c> runs before or after this) and binds <see cref="RedisBackplaneOptions"/> from
    /// <c>Redis:Backplane</c>, validated at start. The manager uses the node's shared
    /// <see cref="RedisStoreConnection"/>, registered here too if missing; it needs <see cref="RedisOptions"/>
    /// (connection string and prefix) configured, which <c>AddHubCore</c> binds from <c>Redis</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddRedisBackplane(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RedisBackplaneOptions>()
            .BindConfiguration(RedisBackplaneOptions.SectionName)
            .Validate(o => o.IsValid(), "Redis:Backplane: GroupAckTimeout and ClientResultTimeout must be positive and at most one day.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisStoreConnection>();

        // Not TryAdd: AddSignalR may already have registered the in-memory manager, and it must not win.
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(RedisHubLifetimeManager<>));
        return services;
    }
}
