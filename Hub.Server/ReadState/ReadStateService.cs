using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Microsoft.Extensions.Options;

namespace Hub.Server.ReadState;

/// <summary>
/// Read receipts and unread counts, with their checks: a room is named as everywhere else, a conversation by
/// <see cref="ConversationAddress"/> (<c>@{user}</c>). The hub adds the SignalR side (<c>ReadUpTo</c>).
/// </summary>
public sealed class ReadStateService(IReadStateStore store, IOptions<LimitsOptions> limits)
{
    private readonly LimitsOptions _limits = limits.Value;

    /// <summary>
    /// Marks <paramref name="address"/> (a room, or <c>@{user}</c> for a conversation) read up to <paramref name="seq"/>
    /// for <paramref name="user"/>; a <paramref name="seq"/> past the last message reads everything.
    /// </summary>
    public Task<ReadMark> MarkReadAsync(HubNamespace ns, string user, string? address, long seq, CancellationToken cancellationToken = default)
    {
        var scope = ScopeOf(user, address);
        return seq < 0 ? throw ReadStateErrors.NegativeSeq(seq) : store.MarkReadAsync(ns.Name, user, scope, seq, cancellationToken);
    }

    /// <summary>
    /// The user's rooms and (at most <see cref="LimitsOptions.MaxConversationsListed"/>) conversations with their
    /// unread counts, the most recently active first.
    /// </summary>
    public async Task<IReadOnlyList<MyRoom>> MyRoomsAsync(HubNamespace ns, string user, CancellationToken cancellationToken = default)
    {
        var states = await store.GetReadStatesAsync(ns.Name, user, _limits.MaxConversationsListed, cancellationToken);
        // An array, not a collection expression: MessagePack cannot write the read-only wrapper the compiler makes.
        return states.Select(s => ToMyRoom(user, s))
            .OrderByDescending(r => r.LastMessageAt ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The members of a room with each one's read position (for "seen by").</summary>
    public async Task<IReadOnlyList<Member>> WithReadSeqsAsync(HubNamespace ns, string room, IReadOnlyList<Member> members, CancellationToken cancellationToken = default)
    {
        var seqs = await store.GetReadSeqsAsync(ns.Name, room, [.. members.Select(m => m.User)], cancellationToken);
        return members.Select((m, i) => m with { ReadSeq = seqs[i] }).ToArray();
    }

    /// <summary>The scope an address names for <paramref name="user"/>: <c>@{peer}</c> their conversation, else a room.</summary>
    private static DeliveryScope ScopeOf(string user, string? address) => ConversationAddress.TryGetUser(address, out var peer)
        ? DeliveryScope.Conversation(user, Names.User(peer))
        : DeliveryScope.Room(Names.Room(address));

    private static MyRoom ToMyRoom(string user, ScopeReadState s)
    {
        var last = s.Last.Counter;
        var read = Math.Min(s.ReadSeq, last);
        var conversation = s.Scope.Kind == DeliveryScopeKind.Conversation;
        return new MyRoom(conversation ? MyRoom.ConversationKind : MyRoom.RoomKind, conversation ? s.Scope.PeerOf(user) : s.Scope.Name,
            s.IsPrivate && !conversation, last, read, last - read,
            s.Last.Milliseconds > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(s.Last.Milliseconds) : null);
    }
}
