using Hub.Server.Backplane;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Backplane;

/// <summary>The DI extension: the Redis backplane wins over SignalR's default in either order, and bad options fail.</summary>
public sealed class RedisBackplaneRegistrationTests
{
    [Fact]
    public void The_redis_manager_replaces_the_default_whether_signalr_is_added_before_or_after()
    {
        var before = new ServiceCollection().AddRedisBackplane();
        before.AddSignalR();
        var after = new ServiceCollection();
        after.AddSignalR();
        after.AddRedisBackplane();

        foreach (var services in new[] { before, after })
        {
            var manager = Assert.Single(services, d => d.ServiceType == typeof(HubLifetimeManager<>));
            Assert.Equal(typeof(HubBackplane<>), manager.ImplementationType);
            Assert.Equal(ServiceLifetime.Singleton, manager.Lifetime);
        }
    }

    [Fact]
    public void Options_are_bound_from_redis_backplane_and_invalid_timeouts_are_rejected()
    {
        var good = Build(new() { ["Redis:Backplane:GroupAckTimeout"] = "00:00:02", ["Redis:Backplane:ClientResultTimeout"] = "00:01:00" });
        Assert.Equal(TimeSpan.FromSeconds(2), good.GroupAckTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), good.ClientResultTimeout);

        Assert.Throws<OptionsValidationException>(() => Build(new() { ["Redis:Backplane:GroupAckTimeout"] = "00:00:00" }));
        Assert.Throws<OptionsValidationException>(() => Build(new() { ["Redis:Backplane:ClientResultTimeout"] = "-00:00:01" }));
    }

    private static RedisBackplaneOptions Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddRedisBackplane();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value;
    }
}
