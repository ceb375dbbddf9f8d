using Hub.Server.Backplane;
using Hub.Server.Delivery.Outbound;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Delivery;

/// <summary>The dispatchers see every connection whichever lifetime manager the mode uses.</summary>
public sealed class ConnectionTrackingRegistrationTests
{
    [Theory]
    [InlineData(null, typeof(DefaultHubLifetimeManager<>))]
    [InlineData("127.0.0.1:6379", typeof(HubBackplane<>))]
    public void The_registered_lifetime_manager_is_wrapped_by_the_connection_tracking_one(string? redis, Type inner)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Configuration"] = redis })
            .Build();
        var services = new ServiceCollection().AddHubCore(configuration);

        var manager = Assert.Single(services, d => d.ServiceType == typeof(HubLifetimeManager<>));
        Assert.Equal(typeof(ConnectionTrackingHubLifetimeManager<>), manager.ImplementationType);
        var wrapped = Assert.Single(services, d => d.ServiceType == typeof(InnerHubLifetimeManager));
        Assert.Equal(inner, ((InnerHubLifetimeManager)wrapped.ImplementationInstance!).OpenType);
    }
}
