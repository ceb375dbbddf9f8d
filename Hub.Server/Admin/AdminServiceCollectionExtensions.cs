using Hub.Server.Admin;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the admin overview: its options, this node's sampler and reporter, and the overview itself.</summary>
public static class AdminServiceCollectionExtensions
{
    /// <summary>Adds the admin overview. The store registers <see cref="IOverviewStore"/> (embedded or Redis).</summary>
    public static IServiceCollection AddHubAdmin(this IServiceCollection services)
    {
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(AdminOptions.SectionName);
        services.AddSingleton<ThroughputSampler>();
        services.AddSingleton<AdminOverviewService>();
        services.AddHostedService<NodeReporter>();
        services.AddHostedService<PendingSampler>();
        return services;
    }
}
