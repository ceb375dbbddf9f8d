using Hub.Server.Admin;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Delivery.Outbound;
using Hub.Server.Health;
using Hub.Server.Hosting;
using Hub.Server.Hubs;
using Hub.Server.Limits;
using Hub.Server.Notifications;
using Hub.Server.Presence;
using Hub.Server.ReadState;
using Hub.Server.Conversations;
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
        services.AddHubAdmin();
        services.AddValidatedOptions<LimitsOptions, LimitsOptionsValidator>(LimitsOptions.SectionName);
        services.AddValidatedOptions<DeliveryOptions, DeliveryOptionsValidator>(DeliveryOptions.SectionName);
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName);

        // StackExchange.Redis refuses an option it does not know; the message names it, so the node stops at start with it.
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        if (configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() is { Enabled: true })
        {
            services.AddRedisStores();
        }
        else
        {
            services.AddInMemoryStores();
        }
        services.AddSingleton<StoreCalls>();
        services.Decorate<IDeliveryStore>((inner, sp) => new MeasuredDeliveryStore(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<IRoomStore>((inner, sp) => new MeasuredRoomStore(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<IPresenceStore>((inner, sp) => new MeasuredPresenceStore(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<IReadStateStore>((inner, sp) => new MeasuredReadStateStore(inner, sp.GetRequiredService<StoreCalls>()));
        services.Decorate<IOverviewStore>((inner, sp) => new MeasuredOverviewStore(inner, sp.GetRequiredService<StoreCalls>()));

        services.AddSingleton<RoomService>();
        services.AddSingleton<ReadStateService>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<AckBuffer>();
        services.AddHostedService(sp => sp.GetRequiredService<AckBuffer>());
        services.AddSingleton<MessageEditor>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<PresenceAnnouncer>();
        services.AddSingleton<IPresenceListener>(sp => sp.GetRequiredService<PresenceAnnouncer>());
        services.AddSingleton<UserRateLimiter>();
        services.AddSingleton<HubServices>();
        NamespaceHubs.ForEach(new NamespaceRegistration(services));

        services.AddSignalR(o => o.AddFilter<HubErrorFilter>())
            .AddMessagePackProtocol(o => o.SerializerOptions = Hub.Contracts.Serialization.HubMessagePack.SerializerOptions);
        services.AddSingleton<HubErrorFilter>();
        services.AddDescriptiveBindingErrors();
        // After AddSignalR and the backplane: the dispatchers write to the connections this records.
        services.AddHubConnectionTracking();
        services.AddOptions<HubOptions>()
            .Configure<IOptions<LimitsOptions>>((hub, limits) => hub.MaximumReceiveMessageSize = limits.Value.MaximumReceiveMessageSize);

        services.AddHealthChecks().AddCheck<ReadinessCheck>("store", tags: ["ready"]);

        services.AddValidatedOptions<ShutdownOptions, ShutdownOptionsValidator>(ShutdownOptions.SectionName);
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
        services.TryAddSingleton<IReadStateStore, InMemoryReadStateStore>();
        services.TryAddSingleton<IStoreHealth, AlwaysReadyStoreHealth>();
        services.TryAddSingleton<IOverviewStore, InMemoryOverviewStore>();
        return services;
    }

    /// <summary>Cluster mode's stores: rooms, presence and queues in Redis, shared by every node.</summary>
    private static IServiceCollection AddRedisStores(this IServiceCollection services)
    {
        services.TryAddSingleton<RedisStoreConnection>();
        services.TryAddSingleton<RedisSubscriptionMonitor>();
        services.TryAddSingleton<NodeIdentity>();
        services.TryAddSingleton<PresenceRemovalQueue>();
        services.TryAddSingleton<RedisDataLoss>();
        services.TryAddSingleton<ILiveConnections, DispatcherLiveConnections>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisSubscriptionMonitor>());
        services.TryAddSingleton<IRoomStore, RedisRoomStore>();
        services.TryAddSingleton<IPresenceStore, RedisPresenceStore>();
        services.TryAddSingleton<IDeliveryStore, RedisDeliveryStore>();
        services.TryAddSingleton<IReadStateStore, RedisReadStateStore>();
        services.TryAddSingleton<IStoreHealth, RedisStoreHealth>();
        services.TryAddSingleton<IOverviewStore, RedisOverviewStore>();
        // SignalR's groups, users and room events cross nodes through our Redis HubLifetimeManager.
        services.AddRedisBackplane();
        return services;
    }

    /// <summary>Puts <paramref name="decorator"/> in front of the registered <typeparamref name="T"/> (a test's or ours), a singleton.</summary>
    private static void Decorate<T>(this IServiceCollection services, Func<T, IServiceProvider, T> decorator) where T : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(registered);
        services.AddSingleton(sp => decorator(
            (T)(registered.ImplementationInstance ?? registered.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)), sp));
    }

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

    // What each namespace's hub needs: its dispatcher, its clients by namespace, and its quiet connection handler.
    private sealed class NamespaceRegistration(IServiceCollection services) : INamespaceHubVisitor
    {
        public void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub
        {
            // A factory: the constructor takes internal types (the connection registry).
            services.AddSingleton(sp => new DeliveryDispatcher<THub>(sp.GetRequiredService<IDeliveryStore>(), sp.GetRequiredService<AckBuffer>(),
                sp.GetRequiredService<HubConnectionRegistry<THub>>(), sp.GetRequiredService<IOptions<DeliveryOptions>>(),
                sp.GetRequiredService<IOptions<LimitsOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<HubMetrics>()));
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher<THub>>());
            services.AddSingleton<INamespaceDispatcher>(sp => sp.GetRequiredService<DeliveryDispatcher<THub>>());
            services.AddSingleton(sp => new NamespaceClients(THub.Namespace, sp.GetRequiredService<IHubContext<THub, IHubClient>>().Clients));

            // SignalR resolves a hub's connection handler from the container (closed registrations win over its open
            // generic one): this one logs through QuietRefusalsLoggerFactory, so a refusal is logged once, quietly, by
            // HubErrorFilter, while unexpected exceptions keep SignalR's Error entry.
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<HubConnectionHandler<THub>>(sp,
                new QuietRefusalsLoggerFactory(sp.GetRequiredService<ILoggerFactory>())));
        }
    }
}
