using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Backplane.Internal;

/// <summary>One key of a <see cref="ChannelMembership"/>: its local members and its Redis subscription.</summary>
internal sealed class ChannelMembershipEntry
{
    // Cleared (under the membership's lock) when the entry leaves the set; read by the Redis handler without a lock.
    private volatile bool _active = true;

    public ConcurrentDictionary<string, HubConnectionContext> Members { get; } = new(StringComparer.Ordinal);

    // Guarded by the membership's lock: ConcurrentDictionary.Count takes every bucket lock, and the decision
    // "last member left" must be made under the same lock as the removal from the set anyway.
    public int Count { get; set; }

    // Guards Subscription: one subscribe or unsubscribe per key at a time, in the order they were decided.
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public IAsyncDisposable? Subscription { get; set; }

    public bool Active
    {
        get => _active;
        set => _active = value;
    }
}
