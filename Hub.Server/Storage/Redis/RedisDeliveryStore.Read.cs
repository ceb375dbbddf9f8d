using System.Globalization;
using Hub.Contracts;
using Hub.Server.Delivery;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>Opening a device, reading its backlog, acknowledging, history and the live subscription.</summary>
internal sealed partial class RedisDeliveryStore
{
    public async Task<DeviceBacklog> OpenDeviceAsync(string ns, string user, string device, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var reply = await _redis.EvaluateAsync(RedisScripts.OpenDevice, Keys.Devices(ns, user),
            [Keys.Base(ns, Keys.UserPartition(user)), user, device, now, (long)_options.DeviceRetention.TotalMilliseconds, _options.MaxDevicesPerUser,
                Guid.NewGuid().ToString("N")[..12]], cancellationToken);
        var since = new MessageId(long.Parse((string)reply[1]!, CultureInfo.InvariantCulture), 0);
        var cursors = new Dictionary<string, MessageId>(StringComparer.Ordinal);
        var pairs = (RedisResult[])reply[2]!;
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (MessageId.TryParse((string?)pairs[i + 1], out var cursor))
            {
                cursors[(string)pairs[i]!] = cursor;
            }
        }
        var scopes = new List<BacklogScope> { Start(cursors, DeliveryScope.User, since) };
        var rooms = (RedisResult[])reply[3]!;
        var joined = new SortedDictionary<string, MessageId>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < rooms.Length; i += 2)
        {
            MessageId.TryParse((string?)rooms[i + 1], out var at);
            joined[(string)rooms[i]!] = at;
        }
        foreach (var (room, at) in joined)
        {
            scopes.Add(Start(cursors, DeliveryScope.Room(room), at > since ? at : since));
        }
        foreach (var conversation in ((RedisResult[])reply[4]!).Select(c => (string)c!).Order(StringComparer.Ordinal))
        {
            scopes.Add(Start(cursors, new DeliveryScope(DeliveryScopeKind.Conversation, conversation), since));
        }
        return new DeviceBacklog((string)reply[0]!, scopes);
    }

    public async Task<IReadOnlyList<BacklogPage>> ReadBacklogAsync(string ns, string user, IReadOnlyList<BacklogScope> scopes, int count,
        CancellationToken cancellationToken = default)
    {
        var oldest = new MessageId(_time.GetUtcNow().Subtract(_options.MaxPendingAge).ToUnixTimeMilliseconds(), 0).ToString();
        var pages = new BacklogPage[scopes.Count];
        // One script per partition reads all of its scopes; the partitions are read concurrently.
        await Task.WhenAll(Enumerable.Range(0, scopes.Count).GroupBy(i => Keys.ScopePartition(scopes[i].Scope, user)).Select(async group =>
        {
            var partition = group.Key;
            var args = new List<RedisValue> { Keys.Base(ns, partition), user, count, oldest };
            foreach (var i in group)
            {
                var scope = scopes[i];
                args.Add(scope.Scope.Kind switch { DeliveryScopeKind.Room => "r", DeliveryScopeKind.Conversation => "d", _ => "u" });
                args.Add(scope.Scope.Name);
                args.Add(scope.After.ToString());
                args.Add(scope.Acknowledged ? 1 : 0);
            }
            var reply = await _redis.EvaluateAsync(RedisScripts.ReadBacklog, Keys.Counter(ns, partition), [.. args], cancellationToken);
            var j = 0;
            foreach (var i in group)
            {
                pages[i] = Page(scopes[i], reply[j++]);
            }
        }));
        return pages;
    }

    public async Task<int> AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        // Cumulative: only the greatest position per scope matters.
        var now = _time.GetUtcNow();
        var greatest = new Dictionary<string, MessageRef>(StringComparer.Ordinal);
        MessageRef.KeepGreatest(greatest, ids, now);
        if (greatest.Count == 0)
        {
            return 0;
        }
        var args = new List<RedisValue>(5 + greatest.Count * 2)
        {
            Keys.Base(ns, Keys.UserPartition(user)), user, device, now.ToUnixTimeMilliseconds(), (long)_options.DeviceRetention.TotalMilliseconds,
        };
        foreach (var (scope, at) in greatest)
        {
            args.Add(scope);
            args.Add(at.Position.ToString());
        }
        return (int)await _redis.EvaluateAsync(RedisScripts.Ack, Keys.Devices(ns, user), [.. args], cancellationToken);
    }

    public async Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, DeliveryScope scope, MessageId? before, int limit, CancellationToken cancellationToken = default)
    {
        if (scope.Kind == DeliveryScopeKind.User || limit < 1)
        {
            return [];
        }
        var entries = (RedisResult[])(await _redis.EvaluateAsync(RedisScripts.ReadHistory, Keys.Log(ns, scope),
            [before is { } b ? "(" + b : "+", limit, Keys.Edits(ns, scope)], cancellationToken))!;
        var list = new List<Envelope>(entries.Length / 3);
        for (var i = entries.Length - 3; i >= 0; i -= 3)
        {
            list.Add(RedisEnvelopeCodec.DecodeEntry(scope, (string)entries[i]!, (string)entries[i + 1]!, (string?)entries[i + 2]));
        }
        return list;
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default)
    {
        // One sharded channel per partition, each with its own queue handled one message at a time: every partition's
        // announcements reach the dispatcher in store order (which checks its counter).
        var channels = Enumerable.Range(0, Keys.Partitions).Select(p => Keys.Live(ns, p)).ToList();
        var subscription = await _redis.Subscriber.SubscribeAsync(channels, sharded: true, payload =>
        {
            foreach (var message in RedisEnvelopeCodec.DecodeAnnouncement(payload))
            {
                onDelivery(message);
            }
        }, cancellationToken);
        // Announcements were missed (the subscription was interrupted), or Redis lost every log: either way the
        // subscriber recovers its connections from the store.
        _monitor.Gap += onGap;
        _dataLoss.Lost += onGap;
        return new GapSubscription(subscription, _monitor, _dataLoss, onGap);
    }

    private static BacklogPage Page(BacklogScope scope, RedisResult reply)
    {
        if ((int)reply[0] == 0)
        {
            return new BacklogPage(scope with { Acknowledged = false }, [], 0, More: false);
        }
        var entries = (RedisResult[])reply[3]!;
        var messages = new List<Envelope>(entries.Length / 3);
        for (var i = 0; i + 2 < entries.Length; i += 3)
        {
            messages.Add(RedisEnvelopeCodec.DecodeEntry(scope.Scope, (string)entries[i]!, (string)entries[i + 1]!, (string?)entries[i + 2]));
        }
        var next = messages.Count > 0 && MessageRef.TryParse(messages[^1].Id, out var last) ? last.Position : scope.After;
        return new BacklogPage(new BacklogScope(scope.Scope, next, Acknowledged: false), messages, (long)reply[1], (int)reply[2] == 1);
    }

    // Where a device reads a scope from: its cursor, or where it starts (first seen, or joined the room, whichever is later).
    private static BacklogScope Start(Dictionary<string, MessageId> cursors, DeliveryScope scope, MessageId start) =>
        cursors.TryGetValue(scope.Key, out var cursor) && cursor >= start ? new BacklogScope(scope, cursor, Acknowledged: true) : new BacklogScope(scope, start, Acknowledged: false);

    private sealed class GapSubscription(IAsyncDisposable inner, RedisSubscriptionMonitor monitor, RedisDataLoss dataLoss, Action onGap) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            monitor.Gap -= onGap;
            dataLoss.Lost -= onGap;
            return inner.DisposeAsync();
        }
    }
}
