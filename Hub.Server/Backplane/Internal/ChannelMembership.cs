using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// This node's connections per key (group name, user id or connection id), each key's Redis channel subscribed
/// exactly while the key has a local member: the first member subscribes, the last one to leave unsubscribes. One
/// subscription per key and node, never one per member, so a message published to a group reaches every node that
/// has members once, and the node fans it out locally.
/// </summary>
/// <remarks>
/// Membership changes are synchronous (under a lock) so sends made right after <see cref="AddAsync"/> or
/// <see cref="RemoveAsync"/> see them; the subscribe/unsubscribe that follows is serialized per key by a gate, so a
/// member joining while the previous last member's unsubscribe is in flight still ends up subscribed.
/// </remarks>
internal sealed class ChannelMembership
{
    private static readonly IReadOnlyDictionary<string, HubConnectionContext> NoMembers = new Dictionary<string, HubConnectionContext>();

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ChannelMembershipEntry> _entries = new(StringComparer.Ordinal);
    private readonly Func<string, string> _channelOf;
    private readonly Func<string, Action<string, ReadOnlyMemory<byte>>, CancellationToken, Task<IAsyncDisposable>> _subscribe;
    private readonly Action<string, IReadOnlyDictionary<string, HubConnectionContext>, ReadOnlyMemory<byte>> _onMessage;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <param name="channelOf">The channel of a key.</param>
    /// <param name="subscribe">Subscribes a handler to a channel (the backplane's Redis client).</param>
    /// <param name="onMessage">Runs on the Redis dispatch loop with the channel, the key's current members and the payload; must not block.</param>
    /// <param name="logger">Logs subscribes and unsubscribes.</param>
    public ChannelMembership(
        Func<string, string> channelOf,
        Func<string, Action<string, ReadOnlyMemory<byte>>, CancellationToken, Task<IAsyncDisposable>> subscribe,
        Action<string, IReadOnlyDictionary<string, HubConnectionContext>, ReadOnlyMemory<byte>> onMessage,
        ILogger logger)
    {
        _logger = logger;
        _channelOf = channelOf;
        _subscribe = subscribe;
        _onMessage = onMessage;
    }

    /// <summary>The local members of <paramref name="key"/> (live view, safe to enumerate while it changes).</summary>
    public IReadOnlyDictionary<string, HubConnectionContext> GetMembers(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.Members : NoMembers;
        }
    }

    /// <summary>Whether <paramref name="key"/> has local members (and so a subscription, once it is established).</summary>
    public bool HasMembers(string key)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(key);
        }
    }

    /// <summary>
    /// Adds <paramref name="connection"/> under <paramref name="key"/> and, for the first member, subscribes the key's
    /// channel before returning, so messages published after this completes reach the node.
    /// </summary>
    /// <returns>False when the connection was already a member (nothing changed).</returns>
    public async Task<bool> AddAsync(string key, HubConnectionContext connection, CancellationToken cancellationToken)
    {
        ChannelMembershipEntry entry;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new ChannelMembershipEntry();
                _entries.Add(key, entry);
            }

            if (!entry.Members.TryAdd(connection.ConnectionId, connection))
            {
                return false;
            }

            entry.Count++;
        }

        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Inactive here means the whole set was disposed: a member being added keeps its entry alive otherwise.
                ObjectDisposedException.ThrowIf(!entry.Active, this);
                if (entry.Subscription is null)
                {
                    // The handler checks Active: after the last member leaves, a message still queued for the old
                    // handler must not reach members of a newer entry for the same key (they have their own handler).
                    var channelName = _channelOf(key);
                    BackplaneLog.Subscribing(_logger, channelName);
                    entry.Subscription = await _subscribe(
                        channelName,
                        (channel, payload) =>
                        {
                            if (entry.Active)
                            {
                                _onMessage(channel, entry.Members, payload);
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
        catch
        {
            await RemoveAsync(key, connection).ConfigureAwait(false);
            throw;
        }

        return true;
    }

    /// <summary>
    /// Removes <paramref name="connection"/> from <paramref name="key"/>; the last member unsubscribes the channel
    /// before this completes. Never throws for connectivity (the Redis client swallows failed unsubscribes).
    /// </summary>
    /// <returns>False when the connection was not a member.</returns>
    public async Task<bool> RemoveAsync(string key, HubConnectionContext connection)
    {
        ChannelMembershipEntry? entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry) || !entry.Members.TryRemove(connection.ConnectionId, out _))
            {
                return false;
            }

            if (--entry.Count > 0)
            {
                return true;
            }
        }

        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                // Someone joined while we waited for the gate: they reuse the subscription, keep it.
                if (entry.Count > 0 || !entry.Active)
                {
                    return true;
                }

                entry.Active = false;
                _entries.Remove(key);
            }

            if (entry.Subscription is { } subscription)
            {
                BackplaneLog.Unsubscribing(_logger, _channelOf(key));
                entry.Subscription = null;
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            entry.Gate.Release();
        }

        return true;
    }

    /// <summary>Forgets every member and removes every subscription.</summary>
    public async Task DisposeAsync()
    {
        List<ChannelMembershipEntry> entries;
        lock (_lock)
        {
            _disposed = true;
            entries = [.. _entries.Values];
            _entries.Clear();
            foreach (var entry in entries)
            {
                entry.Active = false;
            }
        }

        foreach (var entry in entries)
        {
            await entry.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (entry.Subscription is { } subscription)
                {
                    entry.Subscription = null;
                    await subscription.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }
}
