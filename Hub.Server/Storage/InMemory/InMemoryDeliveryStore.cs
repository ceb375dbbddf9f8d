using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.InMemory;

/// <summary>
/// Room and conversation logs, user streams and device cursors in process memory (embedded mode). Same semantics as
/// the Redis store: one lock per namespace makes check + append + trim + announce atomic, so subscribers see every
/// scope's messages in store order. The namespace is one partition.
/// </summary>
internal sealed class InMemoryDeliveryStore(InMemoryState state, IOptions<DeliveryOptions> options, TimeProvider time) : IDeliveryStore
{
    private readonly DeliveryOptions _options = options.Value;

    public Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        var s = state.For(message.Ns);
        var fingerprint = message.Key is null ? null : SendKeys.Fingerprint(message);
        lock (s.Gate)
        {
            var now = time.GetUtcNow();
            s.SendKeys.Expire(now, _options.IdempotencyWindow);
            // A retry of a keyed send is answered before anything else is checked: the first send was accepted, and
            // what changed since (the sender left the room) must not turn its retry into an error.
            if (message.Key is { } key && s.SendKeys.TryGet(message.From, key, now, _options.IdempotencyWindow, out var first, out var earlier))
            {
                return first == fingerprint
                    ? Task.FromResult(earlier with { Envelope = earlier.Envelope with { Text = message.Text, Payload = message.Payload }, Replayed = true })
                    : throw DeliveryErrors.KeyReused(key);
            }
            var target = message.Target;
            var result = target.Rooms is { } rooms ? ToRooms(s, message, rooms, now)
                : target.Conversation is { } conversation ? ToConversation(s, message, conversation, now)
                : ToStreams(s, message, now);
            if (message.Key is not null)
            {
                // Kept without text and payload (a retry repeats them, as its fingerprint shows): the record outlives
                // the acks, and would otherwise hold up to Limits:MaxTextBytes per send for the whole window.
                s.SendKeys.Add(message.From, message.Key, fingerprint!, result with { Envelope = result.Envelope with { Text = null, Payload = null } }, now);
            }
            return Task.FromResult(result);
        }
    }

    public Task<DeviceBacklog> OpenDeviceAsync(string ns, string user, string device, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var now = time.GetUtcNow();
            if (!s.Devices.TryGetValue(user, out var devices))
            {
                s.Devices[user] = devices = new(StringComparer.Ordinal);
            }
            foreach (var (id, _) in devices.Where(d => IsForgotten(d.Value, now)).ToList())
            {
                devices.Remove(id);
            }
            if (!devices.TryGetValue(device, out var d))
            {
                // A user's first device reads everything kept for the user (notifications and direct messages sent
                // before its first connect); a further device starts at the present.
                var since = devices.Count == 0 ? default : new MessageId(now.ToUnixTimeMilliseconds(), 0);
                devices[device] = d = new InMemoryDevice(NewEpoch(), since);
                if (devices.Count > _options.MaxDevicesPerUser)
                {
                    devices.Remove(devices.Where(x => x.Value != d).MinBy(x => x.Value.LastSeen).Key);
                }
            }
            d.LastSeen = now;

            var scopes = new List<BacklogScope> { Start(d, DeliveryScope.User, d.Since) };
            foreach (var room in s.RoomsOf(user).Order(StringComparer.Ordinal))
            {
                var joined = s.JoinedAt.GetValueOrDefault((user, room));
                scopes.Add(Start(d, DeliveryScope.Room(room), joined > d.Since ? joined : d.Since));
            }
            foreach (var conversation in s.ConversationsByUser.GetValueOrDefault(user) ?? [])
            {
                scopes.Add(Start(d, new DeliveryScope(DeliveryScopeKind.Conversation, conversation), d.Since));
            }
            return Task.FromResult(new DeviceBacklog(d.Epoch, scopes));
        }
    }

    public Task<IReadOnlyList<BacklogPage>> ReadBacklogAsync(string ns, string user, IReadOnlyList<BacklogScope> scopes, int count, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var oldest = new MessageId(time.GetUtcNow().Subtract(_options.MaxPendingAge).ToUnixTimeMilliseconds(), 0);
            var pages = new List<BacklogPage>(scopes.Count);
            foreach (var scope in scopes)
            {
                if (LogOf(s, user, scope.Scope) is not { } log)
                {
                    pages.Add(new BacklogPage(scope with { Acknowledged = false }, [], 0, More: false));
                    continue;
                }
                var (page, dropped, more) = log.Read(scope.After, scope.Acknowledged, oldest, count);
                var next = page.Count > 0 && MessageRef.TryParse(page[^1].Id, out var last) ? last.Position : scope.After;
                pages.Add(new BacklogPage(new BacklogScope(scope.Scope, next, Acknowledged: false), page, dropped, more));
            }
            return Task.FromResult<IReadOnlyList<BacklogPage>>(pages);
        }
    }

    public Task<int> AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var now = time.GetUtcNow();
            if (s.Devices.GetValueOrDefault(user) is not { } devices || !devices.TryGetValue(device, out var d))
            {
                return Task.FromResult(0);
            }
            if (IsForgotten(d, now))
            {
                // Unseen for the retention: forgotten, whether or not another of the user's devices connected since.
                devices.Remove(device);
                return Task.FromResult(0);
            }
            // A device that acknowledges is in use, however long ago it connected: retention counts from its last use.
            d.LastSeen = now;
            var moved = new HashSet<DeliveryScope>();
            foreach (var id in ids)
            {
                if (MessageRef.TryParse(id, out var at) && MessageRef.IsPlausibleAck(at.Position, now) && LogOf(s, user, at.Scope) is not null
                    && (!d.Cursors.TryGetValue(at.Scope, out var cursor) || at.Position > cursor))
                {
                    d.Cursors[at.Scope] = at.Position;
                    moved.Add(at.Scope);
                }
            }
            return Task.FromResult(moved.Count);
        }
    }

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, DeliveryScope scope, MessageId? before, int limit, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var log = scope.Kind == DeliveryScopeKind.Room ? s.Rooms.GetValueOrDefault(scope.Name)?.Log
                : scope.Kind == DeliveryScopeKind.Conversation ? s.Conversations.GetValueOrDefault(scope.Name)
                : null;
            return Task.FromResult<IReadOnlyList<Envelope>>(log?.Before(before, limit) ?? []);
        }
    }

    // In one process nothing is ever missed, so onGap is never called.
    public Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            s.Subscribers.Add(onDelivery);
        }
        return Task.FromResult<IAsyncDisposable>(new Subscription(s, onDelivery));
    }

    // Caller holds the gate. Every room is checked before anything is stored; then each room stores its own message.
    private AppendResult ToRooms(InMemoryNamespace s, OutgoingMessage message, IReadOnlyList<string> rooms, DateTimeOffset now)
    {
        var targets = new List<InMemoryRoom>(rooms.Count);
        foreach (var room in rooms)
        {
            var r = s.Rooms.GetValueOrDefault(room) ?? throw RoomErrors.NotFound(room);
            if (message.SenderMustBeMember && !r.Members.Contains(message.From))
            {
                throw RoomErrors.NotMember(room);
            }
            targets.Add(r);
        }
        Envelope? first = null;
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in targets)
        {
            var envelope = Store(r.Log, DeliveryScope.Room(r.Info.Name), message.Body with { Room = r.Info.Name }, _options.RoomHistoryLength, now);
            // Sending reads: a member sender has read up to its own message (as a party of a conversation, below).
            if (message.SenderMustBeMember)
            {
                s.ReadSeqs[(DeliveryScope.Room(r.Info.Name).Key, message.From)] = envelope.Seq!.Value;
            }
            Announce(s, envelope, [.. r.Members], message);
            recipients.UnionWith(r.Members);
            first ??= envelope;
        }
        return new AppendResult(first!, recipients.Count);
    }

    private AppendResult ToConversation(InMemoryNamespace s, OutgoingMessage message, DeliveryScope conversation, DateTimeOffset now)
    {
        var to = conversation.PeerOf(message.From);
        if (message.RecipientsMustBeKnown && !s.KnownUsers.Contains(to))
        {
            throw DeliveryErrors.UnknownUser(to);
        }
        if (!s.Conversations.TryGetValue(conversation.Name, out var log))
        {
            s.Conversations[conversation.Name] = log = new InMemoryLog();
            foreach (var party in new[] { message.From, to })
            {
                if (!s.ConversationsByUser.TryGetValue(party, out var mine))
                {
                    s.ConversationsByUser[party] = mine = new(StringComparer.Ordinal);
                }
                mine.Add(conversation.Name);
            }
        }
        var envelope = Store(log, conversation, message.Body, _options.RoomHistoryLength, now);
        s.ReadSeqs[(conversation.Key, message.From)] = envelope.Seq!.Value;
        IReadOnlyList<string> parties = message.From == to ? [to] : [message.From, to];
        Announce(s, envelope, parties, message);
        return new AppendResult(envelope, parties.Count);
    }

    // Messages addressed to users go into each one's own stream, at that stream's next position.
    private AppendResult ToStreams(InMemoryNamespace s, OutgoingMessage message, DateTimeOffset now)
    {
        var target = message.Target;
        IReadOnlyList<string> users;
        if (target.Users is { } list)
        {
            if (message.RecipientsMustBeKnown && list.FirstOrDefault(u => !s.KnownUsers.Contains(u)) is { } unknown)
            {
                throw DeliveryErrors.UnknownUser(unknown);
            }
            users = [.. list.Distinct(StringComparer.Ordinal)];
        }
        else
        {
            users = target.Online ? [.. s.Connections.Keys.Where(u => u != target.ExceptUser)] : [.. s.KnownUsers];
        }
        Envelope? first = null;
        foreach (var user in users)
        {
            var envelope = Store(s.StreamOf(user), DeliveryScope.User, message.Body, _options.MaxPendingPerUser, now);
            Announce(s, envelope, [user], message);
            first ??= envelope;
        }
        // Nobody to deliver to (a broadcast with nobody else online): the sender still gets a receipt with the time.
        first ??= message.Body.ToEnvelope(new MessageRef(DeliveryScope.User, new MessageId(now.ToUnixTimeMilliseconds(), 0)));
        return new AppendResult(first, users.Count);
    }

    private static Envelope Store(InMemoryLog log, DeliveryScope scope, EnvelopeBody body, int maxLength, DateTimeOffset now)
    {
        var position = log.Next(now);
        var envelope = body.ToEnvelope(new MessageRef(scope, position));
        log.Add(position, envelope, maxLength);
        return envelope;
    }

    private static void Announce(InMemoryNamespace s, Envelope envelope, IReadOnlyList<string> recipients, OutgoingMessage message)
    {
        var delivery = new StoredMessage(envelope, recipients, Partition: 0, ++s.Announced, message.Trace);
        foreach (var subscriber in s.Subscribers)
        {
            subscriber(delivery);
        }
    }

    // The log a user may read in this scope; null when it is not (or no longer) theirs.
    private static InMemoryLog? LogOf(InMemoryNamespace s, string user, DeliveryScope scope) => scope.Kind switch
    {
        DeliveryScopeKind.Room => s.Rooms.TryGetValue(scope.Name, out var r) && r.Members.Contains(user) ? r.Log : null,
        DeliveryScopeKind.Conversation => s.ConversationsByUser.GetValueOrDefault(user)?.Contains(scope.Name) == true ? s.Conversations[scope.Name] : null,
        _ => s.StreamOf(user),
    };

    // Where a device reads a scope from: its cursor, or where it starts (first seen, or joined the room, whichever is later).
    private static BacklogScope Start(InMemoryDevice device, DeliveryScope scope, MessageId start) =>
        device.Cursors.TryGetValue(scope, out var cursor) && cursor >= start ? new BacklogScope(scope, cursor, Acknowledged: true) : new BacklogScope(scope, start, Acknowledged: false);

    private bool IsForgotten(InMemoryDevice device, DateTimeOffset now) => now - device.LastSeen > _options.DeviceRetention;

    private static string NewEpoch() => Guid.NewGuid().ToString("N")[..12];

    private sealed class Subscription(InMemoryNamespace s, Action<StoredMessage> onDelivery) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (s.Gate)
            {
                s.Subscribers.Remove(onDelivery);
            }
            return ValueTask.CompletedTask;
        }
    }
}
