using Hub.Server.Backplane;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OfficialRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis backplane: SignalR's official one, wrapped by <see cref="HubBackplane{THub}"/>.</summary>
public static class RedisBackplaneServiceCollectionExtensions
{
    /// <summary>
    /// Makes every hub use <see cref="HubBackplane{THub}"/> over <c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>
    /// (replacing SignalR's in-memory manager whether <c>AddSignalR</c> runs before or after this), connected with the
    /// node's <c>Redis:Configuration</c> (StackExchange.Redis's own format) and channels under
    /// <c>{Redis:Prefix}:backplane:</c>, and binds <see cref="RedisBackplaneOptions"/> from <c>Redis:Backplane</c>,
    /// validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddRedisBackplane(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<RedisBackplaneOptions, RedisBackplaneOptionsValidator>(RedisBackplaneOptions.SectionName);
        services.TryAddSingleton<RedisBackplaneConnection>();
        services.AddOptions<OfficialRedisOptions>().Configure<RedisBackplaneConnection>((backplane, connection) => backplane.ConnectionFactory = connection.ConnectAsync);
        services.AddHealthChecks().AddCheck<RedisBackplaneHealthCheck>("backplane", tags: ["ready"]);

        // Not TryAdd: AddSignalR may already have registered the in-memory manager, and it must not win.
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.TryAddSingleton(typeof(Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(HubBackplane<>));
        return services;
    }
}
