using Hub.Server.Common;
using Hub.Server.Conversations;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Hub.Server.Presence;
using Hub.Server.ReadState;
using Hub.Server.Rooms;
using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Hub.Server.Hubs;

/// <summary>The services every hub needs, in one constructor argument so the hubs stay thin.</summary>
public sealed class HubServices(
    RoomService rooms,
    MessageSender sender,
    IPresenceStore presence,
    AckBuffer acks,
    PresenceAnnouncer announcer,
    IOptions<LimitsOptions> limits,
    UserRateLimiter rateLimiter,
    HubMetrics metrics,
    ReadStateService readState,
    ConversationService conversations,
    IServiceProvider provider)
{
    /// <summary>Room operations.</summary>
    public RoomService Rooms { get; } = rooms;
    /// <summary>Sending.</summary>
    public MessageSender Sender { get; } = sender;
    /// <summary>Presence.</summary>
    public IPresenceStore Presence { get; } = presence;
    /// <summary>Presence events to rooms.</summary>
    public PresenceAnnouncer Announcer { get; } = announcer;
    /// <summary>Acknowledgements, gathered and written to the store per device.</summary>
    public AckBuffer Acks { get; } = acks;
    /// <summary>Limits.</summary>
    public LimitsOptions Limits { get; } = limits.Value;
    /// <summary>This node's rate limits per user.</summary>
    public UserRateLimiter RateLimiter { get; } = rateLimiter;
    /// <summary>Hub's meter.</summary>
    public HubMetrics Metrics { get; } = metrics;
    /// <summary>Read receipts and unread counts.</summary>
    public ReadStateService ReadState { get; } = readState;
    /// <summary>Conversation history.</summary>
    public ConversationService Conversations { get; } = conversations;

    /// <summary>Edits and deletions of room messages.</summary>
    public MessageEditor Edits => provider.GetRequiredService<MessageEditor>();

    /// <summary>The dispatcher of a hub's namespace on this node.</summary>
    public DeliveryDispatcher<THub> Dispatcher<THub>() where THub : Microsoft.AspNetCore.SignalR.Hub, INamespaceHub =>
        provider.GetRequiredService<DeliveryDispatcher<THub>>();
}
