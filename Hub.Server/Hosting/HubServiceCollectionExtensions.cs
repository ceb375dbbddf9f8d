using Hub.Server.Delivery;
using Hub.Server.Delivery.Outbound;
using Hub.Server.Health;
using Hub.Server.Hosting;
using Hub.Server.Hubs;
using Hub.Server.Limits;
using Hub.Server.Notifications;
using Hub.Server.Presence;
using Hub.Server.Rooms;
using Hub.Server.Storage.InMemory;
using Hub.Server.Storage.Redis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Hub.Server.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hub's services: options, stores, hubs, delivery and health.</summary>
public static class HubServiceCollectionExtensions
{
    /// <summary>Adds everything Hub needs except authentication (see <c>AddHubAuthentication</c>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Configuration: <c>Redis:Configuration</c> chooses the cluster mode.</param>
    public static IServiceCollection AddHubCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHubMetrics();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName)
            .Validate(o => o.MaxTextBytes > 0 && o.MaxRoomsPerUser > 0 && o.MaxMembersPerRoom > 0 && o.MaxRoomsPerSend > 0
                && o.MaximumReceiveMessageSize >= 1024 && o.SendsPerSecond > 0 && o.SendBurst >= 1 && o.MaxAckIds > 0
                && o.MaxHistoryPage > 0 && o.MaxNotificationUsers > 0 && o.MaxNotificationBytes > 0
                && o.RoomChangesPerSecond > 0 && o.RoomChangeBurst >= 1 && o.ReadsPerSecond > 0 && o.ReadBurst >= 1
                && o.MaxConnectionsPerUser > 0 && o.MaxOwnedRoomsPerUser > 0 && o.MaxRoomsPerNamespace > 0 && o.MaxRoomsPage > 0 && o.MaxUsersPerNamespace > 0,
                "Limits: every limit must be positive (MaximumReceiveMessageSize at least 1024).")
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxPendingAge > TimeSpan.Zero && o.LiveSendTimeout > TimeSpan.Zero, "Delivery: MaxPendingAge and LiveSendTimeout must be positive.")
            .Validate(o => o.IdempotencyWindow >= TimeSpan.FromMilliseconds(1), "Delivery: IdempotencyWindow must be positive.")
            .ValidateOnStart();
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName);

        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName)
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Prefix), "Redis:Prefix must not be empty.")
            .Validate(o => o.ProbeInterval > TimeSpan.Zero && o.ProbeTimeout > TimeSpan.Zero && o.NodeTimeout >= TimeSpan.FromSeconds(1)
                && o.CommandTimeout >= TimeSpan.FromMilliseconds(1) && o.CommandTimeout <= TimeSpan.FromDays(1),
                "Redis: ProbeInterval and ProbeTimeout must be positive, NodeTimeout at least 1 s, CommandTimeout between 1 ms and 1 day.")
            .ValidateOnStart();
        // StackExchange.Redis refuses an option it does not know; the message names it, so the node stops at start with it.
        services.AddSingleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        if (configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() is { Enabled: true })
        {
            services.AddRedisStores();
        }
        else
        {
            services.AddInMemoryStores();
        }

        services.AddSingleton<RoomService>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<PresenceAnnouncer>();
        services.AddSingleton<IPresenceListener>(sp => sp.GetRequiredService<PresenceAnnouncer>());
        services.AddSingleton<UserRateLimiter>();
        services.AddSingleton<HubServices>();
        services.AddDispatcher<ChatHub>();
        services.AddDispatcher<NotificationsHub>();

        services.AddSignalR(o => o.AddFilter<HubErrorFilter>())
            .AddMessagePackProtocol(o => o.SerializerOptions = Hub.Contracts.Serialization.HubMessagePack.SerializerOptions);
        services.AddSingleton<HubErrorFilter>();
        services.AddQuietRefusals<ChatHub>();
        services.AddQuietRefusals<NotificationsHub>();
        services.AddDescriptiveBindingErrors();
        // After AddSignalR and the backplane: the dispatchers write to the connections this records.
        services.AddHubConnectionTracking();
        services.AddOptions<HubOptions>()
            .Configure<IOptions<LimitsOptions>>((hub, limits) => hub.MaximumReceiveMessageSize = limits.Value.MaximumReceiveMessageSize);

        services.AddHealthChecks().AddCheck<ReadinessCheck>("store", tags: ["ready"]);

        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName)
            .Validate(o => o.DrainDelay >= TimeSpan.Zero && o.Timeout > o.DrainDelay, "Shutdown: DrainDelay must not be negative and Timeout must exceed it.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddSingleton<ShutdownState>();
        services.AddHostedService<GracefulShutdown>();
        return services;
    }

    /// <summary>The embedded mode's stores: everything in this process's memory.</summary>
    private static IServiceCollection AddInMemoryStores(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryState>();
        services.TryAddSingleton<IRoomStore, InMemoryRoomStore>();
        services.TryAddSingleton<IPresenceStore, InMemoryPresenceStore>();
        services.TryAddSingleton<IDeliveryStore, InMemoryDeliveryStore>();
        services.TryAddSingleton<IStoreHealth, AlwaysReadyStoreHealth>();
        return services;
    }

    /// <summary>Cluster mode's stores: rooms, presence and queues in Redis, shared by every node.</summary>
    private static IServiceCollection AddRedisStores(this IServiceCollection services)
    {
        services.TryAddSingleton<RedisStoreConnection>();
        services.TryAddSingleton<RedisSubscriptionMonitor>();
        services.TryAddSingleton<ILiveConnections, DispatcherLiveConnections>();
        services.TryAddSingleton(sp => new RedisNode(sp.GetRequiredService<RedisStoreConnection>(), sp.GetRequiredService<IPresenceListener>,
            sp.GetRequiredService<ILiveConnections>, sp.GetRequiredService<IOptions<RedisOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisNode>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisNode>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisSubscriptionMonitor>());
        services.TryAddSingleton<IRoomStore, RedisRoomStore>();
        services.TryAddSingleton<IPresenceStore, RedisPresenceStore>();
        services.TryAddSingleton<IDeliveryStore, RedisDeliveryStore>();
        services.TryAddSingleton<IStoreHealth, RedisStoreHealth>();
        // SignalR's groups, users and room events cross nodes through our Redis HubLifetimeManager.
        services.AddRedisBackplane();
        return services;
    }

    /// <summary>
    /// SignalR resolves a hub's connection handler from the container (closed registrations win over its open generic
    /// one): this one logs through <see cref="QuietRefusalsLoggerFactory"/>, so a refusal is logged once, quietly, by
    /// <see cref="HubErrorFilter"/>, while unexpected exceptions keep SignalR's Error entry.
    /// </summary>
    private static void AddQuietRefusals<THub>(this IServiceCollection services) where THub : Microsoft.AspNetCore.SignalR.Hub =>
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<HubConnectionHandler<THub>>(sp,
            new QuietRefusalsLoggerFactory(sp.GetRequiredService<ILoggerFactory>())));

    /// <summary>Wraps SignalR's JSON protocol so a call whose arguments do not bind is told the method's parameters.</summary>
    private static void AddDescriptiveBindingErrors(this IServiceCollection services)
    {
        // Replaced, not added beside it: the protocol resolver keeps one protocol per name.
        foreach (var json in services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            services.Remove(json);
        }
        services.AddSingleton<IHubProtocol>(sp => new DescriptiveBindingErrorsProtocol(ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp)));
    }

    private static void AddDispatcher<THub>(this IServiceCollection services)
        where THub : Microsoft.AspNetCore.SignalR.Hub, INamespaceHub
    {
        // A factory: the constructor takes internal types (the connection registry).
        services.AddSingleton(sp => new DeliveryDispatcher<THub>(sp.GetRequiredService<IDeliveryStore>(),
            sp.GetRequiredService<HubConnectionRegistry<THub>>(), sp.GetRequiredService<IOptions<DeliveryOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<HubMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher<THub>>());
    }
}
