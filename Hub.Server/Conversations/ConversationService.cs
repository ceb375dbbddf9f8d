using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Microsoft.Extensions.Options;

namespace Hub.Server.Conversations;

/// <summary>
/// Conversations: the direct messages of two users, kept on the server in the conversation's log (docs/decisions/0002),
/// so a client signing in anywhere gets them back. Only its two parties can name it: the caller is always one.
/// </summary>
public sealed class ConversationService(IDeliveryStore delivery, IOptions<LimitsOptions> limits)
{
    private readonly LimitsOptions _limits = limits.Value;

    /// <summary>
    /// A page of <paramref name="user"/>'s conversation with <paramref name="peer"/>: at most <paramref name="limit"/>
    /// messages before <paramref name="before"/> (the newest when <c>null</c>), newest last; empty when they never
    /// exchanged a message.
    /// </summary>
    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(HubNamespace ns, string user, string? peer, string? before, int limit, CancellationToken cancellationToken = default)
    {
        var other = Names.User(peer);
        HistoryPage.Limit(limit, _limits.MaxHistoryPage);
        var cursor = MessageId.ParseCursor(before);
        return delivery.GetHistoryAsync(ns.Name, DeliveryScope.Conversation(user, other), cursor, limit, cancellationToken);
    }
}
