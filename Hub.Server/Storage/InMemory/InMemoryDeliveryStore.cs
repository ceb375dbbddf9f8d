using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.InMemory;

/// <summary>
/// Pending queues and room history in process memory (embedded mode). Same semantics as the Redis store: one lock
/// per namespace makes resolve + append + trim + announce atomic, so subscribers see messages in id order.
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
            var recipients = Resolve(s, message);
            var id = s.LastId = new MessageId(Math.Max(now.ToUnixTimeMilliseconds(), s.LastId.Milliseconds), s.LastId.Counter + 1);
            var rooms = message.Target.Rooms ?? [];

            // Sequence numbers are taken only once nothing can refuse the send any more, so they have no gaps.
            Dictionary<string, long>? seqs = rooms.Count > 1 ? new(StringComparer.Ordinal) : null;
            long? seq = null;
            foreach (var room in rooms)
            {
                var next = ++s.Rooms[room].Seq;
                if (seqs is null)
                {
                    seq = next;
                }
                else
                {
                    seqs[room] = next;
                }
            }

            var envelope = message.Body.ToEnvelope(id, seq, seqs);

            foreach (var room in rooms)
            {
                var history = s.Rooms[room].History;
                history.AddLast(envelope);
                while (history.Count > _options.RoomHistoryLength)
                {
                    history.RemoveFirst();
                }
            }

            var minimum = MinimumId(now);
            foreach (var user in recipients)
            {
                var queue = s.QueueOf(user);
                queue.ById[envelope.Id] = queue.Entries.AddLast((id, envelope));
                Trim(queue, minimum);
            }

            var delivery = new StoredMessage(envelope, recipients, message.Trace);
            foreach (var subscriber in s.Subscribers)
            {
                subscriber(delivery);
            }
            var result = new AppendResult(envelope, recipients.Count);
            if (message.Key is not null)
            {
                // Kept without text and payload (a retry repeats them, as its fingerprint shows): the record outlives
                // the acks, and would otherwise hold up to Limits:MaxTextBytes per send for the whole window.
                s.SendKeys.Add(message.From, message.Key, fingerprint!, result with { Envelope = envelope with { Text = null, Payload = null } }, now);
            }
            return Task.FromResult(result);
        }
    }

    public Task<QueueInfo> OpenQueueAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var queue = s.QueueOf(user);
            Trim(queue, MinimumId(time.GetUtcNow()));
            var dropped = queue.Dropped;
            queue.Dropped = 0;
            return Task.FromResult(new QueueInfo(state.Epoch, dropped));
        }
    }

    public Task<IReadOnlyList<Envelope>> ReadPendingAsync(string ns, string user, string? afterId, int count, CancellationToken cancellationToken = default)
    {
        var after = ParseOrMinimum(afterId);
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (!s.Queues.TryGetValue(user, out var queue))
            {
                return Task.FromResult<IReadOnlyList<Envelope>>([]);
            }
            var page = new List<Envelope>(Math.Min(count, queue.Entries.Count));
            for (var node = queue.Entries.First; node is not null && page.Count < count; node = node.Next)
            {
                if (node.Value.Id > after)
                {
                    page.Add(node.Value.Envelope);
                }
            }
            return Task.FromResult<IReadOnlyList<Envelope>>(page);
        }
    }

    public Task<int> AckAsync(string ns, string user, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (!s.Queues.TryGetValue(user, out var queue))
            {
                return Task.FromResult(0);
            }
            var removed = 0;
            foreach (var id in ids)
            {
                if (queue.ById.Remove(id, out var node))
                {
                    queue.Entries.Remove(node);
                    removed++;
                }
            }
            return Task.FromResult(removed);
        }
    }

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, string room, string? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        var before = MessageId.ParseCursor(beforeId);
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (!s.Rooms.TryGetValue(room, out var r))
            {
                return Task.FromResult<IReadOnlyList<Envelope>>([]);
            }
            var page = new List<Envelope>(limit);
            for (var node = r.History.Last; node is not null && page.Count < limit; node = node.Previous)
            {
                if (before is null || (MessageId.TryParse(node.Value.Id, out var id) && id < before.Value))
                {
                    page.Add(node.Value);
                }
            }
            page.Reverse();
            return Task.FromResult<IReadOnlyList<Envelope>>(page);
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

    // Caller holds the gate. Refusals happen here, before anything is written.
    private static IReadOnlyList<string> Resolve(InMemoryNamespace s, OutgoingMessage message)
    {
        var target = message.Target;
        if (target.Rooms is { } rooms)
        {
            var users = new HashSet<string>(StringComparer.Ordinal);
            foreach (var room in rooms)
            {
                var r = s.Rooms.GetValueOrDefault(room) ?? throw RoomErrors.NotFound(room);
                if (message.SenderMustBeMember && !r.Members.Contains(message.From))
                {
                    throw RoomErrors.NotMember(room);
                }
                users.UnionWith(r.Members);
            }
            return [.. users];
        }
        if (target.Users is { } list)
        {
            if (message.RecipientsMustBeKnown && list.FirstOrDefault(u => !s.KnownUsers.Contains(u)) is { } unknown)
            {
                throw DeliveryErrors.UnknownUser(unknown);
            }
            return [.. list.Distinct(StringComparer.Ordinal)];
        }
        if (target.Online)
        {
            return [.. s.Connections.Keys.Where(u => u != target.ExceptUser)];
        }
        return target.Known ? [.. s.KnownUsers] : [];
    }

    // The oldest id the age bound keeps: ids start with their store time in milliseconds, as Redis MINID expects.
    private MessageId MinimumId(DateTimeOffset now) => new(now.Subtract(_options.MaxPendingAge).ToUnixTimeMilliseconds(), 0);

    private void Trim(InMemoryQueue queue, MessageId minimum)
    {
        while (queue.Entries.First is { } first && (queue.Entries.Count > _options.MaxPendingPerUser || first.Value.Id < minimum))
        {
            queue.Entries.RemoveFirst();
            queue.ById.Remove(first.Value.Envelope.Id);
            queue.Dropped++;
        }
    }

    private static MessageId ParseOrMinimum(string? id) => MessageId.ParseCursor(id) ?? default;

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
