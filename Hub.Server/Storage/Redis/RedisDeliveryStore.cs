using System.Globalization;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Room and conversation logs, user streams and device cursors in Redis (cluster mode), spread over partitions
/// (<see cref="RedisKeys"/>). Storing a message in a scope, trimming it and announcing it on the partition's channel is
/// one script in the scope's partition, so a room message costs Redis the same whatever the room's size and every
/// script touches one Redis Cluster slot. Reading (<c>RedisDeliveryStore.Read.cs</c>) is one script per partition.
/// </summary>
internal sealed partial class RedisDeliveryStore : IDeliveryStore
{
    private readonly RedisStoreConnection _redis;
    private readonly RedisSubscriptionMonitor _monitor;
    private readonly RedisDataLoss _dataLoss;
    private readonly DeliveryOptions _options;
    private readonly RedisOptions _redisOptions;
    private readonly TimeProvider _time;
    private readonly RedisFactCache _facts;

    /// <summary>Creates the store; its cache of known users and conversations is emptied when Redis loses its data.</summary>
    public RedisDeliveryStore(RedisStoreConnection redis, RedisSubscriptionMonitor monitor, RedisDataLoss dataLoss, IOptions<DeliveryOptions> options,
        IOptions<RedisOptions> redisOptions, TimeProvider time)
    {
        _redis = redis;
        _monitor = monitor;
        _dataLoss = dataLoss;
        _options = options.Value;
        _redisOptions = redisOptions.Value;
        _time = time;
        _facts = new RedisFactCache(_redisOptions.NodeCacheSize);
        dataLoss.Lost += _facts.Clear;
    }

    private RedisKeys Keys => _redis.Keys;

    public async Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        var target = message.Target;
        var send = new Send(message, _time.GetUtcNow().ToUnixTimeMilliseconds(), message.Key is null ? "" : SendKeys.Fingerprint(message))
        {
            // A single Redis holds every partition, so a script may claim the key in the sender's partition while it
            // stores the message in another: one round trip instead of two. Only for a send one script stores: with
            // several, the claim must come before all of them.
            Claim = message.Key is { } sendKey && _redis.IsStandalone && StoredByOneScript(target) ? Keys.SendKeyClaim(message.Ns, message.From, sendKey) : "",
        };
        AppendResult result;
        try
        {
            if (message.Key is { } key && !send.ClaimsInScript)
            {
                // One more call for a keyed send: the key is claimed in the sender's partition, so reusing it for a
                // different message is refused even when that message goes to other partitions. The first claim is a
                // plain SET NX; only a key seen before needs the script that compares fingerprints and times. On a
                // single Redis, a send stored by one script makes the claim in that script instead (Send.Claim).
                var claimKey = Keys.SendKeyClaim(message.Ns, message.From, key);
                var window = _options.IdempotencyWindow;
                var claimed = await _redis.RunAsync(db => db.StringSetAsync(claimKey, string.Create(CultureInfo.InvariantCulture, $"{send.Now}|{send.Fingerprint}"), window, When.NotExists), cancellationToken);
                if (!claimed && (string?)await _redis.EvaluateAsync(RedisScripts.SendKey, claimKey, [send.Now, (long)window.TotalMilliseconds, send.Fingerprint],
                    cancellationToken) == "keyreused")
                {
                    throw DeliveryErrors.KeyReused(key);
                }
            }
            result = target.Rooms is { } rooms ? await ToRoomsAsync(send, rooms, cancellationToken)
                : target.Conversation is { } conversation ? await ToConversationAsync(send, conversation, cancellationToken)
                : await ToStreamsAsync(send, cancellationToken);
        }
        catch (StoreUnavailableException ex) when (ex.MayHaveRun)
        {
            // A script reached Redis and its answer did not come back: it may have stored the message, so the sender
            // must not be told "nothing stored"; a retry with the same key is safe.
            throw new StoreOutcomeUnknownException(ex.InnerException);
        }
        await WaitForReplicasAsync(message.Ns, send.Written, cancellationToken);
        return result;
    }

    // With Redis:WaitForReplicas, what was stored is not yet safe from a failover: the caller hears of it only once
    // replicas have it (a retry too: its first attempt may have been refused for want of replicas). Half the command
    // timeout, so WAIT answers (with too few) before the client gives up on it; at least the 1 ms WAIT can express (0
    // would wait forever).
    private async Task WaitForReplicasAsync(string ns, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        if (_redisOptions.WaitForReplicas > 0)
        {
            var waitTimeout = TimeSpan.FromMilliseconds(Math.Max(1, Math.Floor(_redisOptions.CommandTimeout.TotalMilliseconds / 2)));
            await Task.WhenAll(partitions.Select(p => _redis.WaitForReplicasAsync(Keys.Counter(ns, p), _redisOptions.WaitForReplicas,
                waitTimeout, cancellationToken)));
        }
    }

    // Rooms are grouped by partition, one script per partition, run concurrently. With several partitions, every
    // refusal (not found, not a member, key reused) is checked first by a read-only pass of the same script, so a
    // refused send stores nothing. What remains is a race: a room deleted (or the sender removed) between the two
    // passes fails its own script after the others stored; the sender gets the refusal although some rooms have it.
    private async Task<AppendResult> ToRoomsAsync(Send send, IReadOnlyList<string> rooms, CancellationToken cancellationToken)
    {
        var message = send.Message;
        var groups = rooms.Select((room, i) => (Room: room, Partition: Keys.RoomPartition(room)))
            .GroupBy(r => r.Partition).Select(g => (Partition: g.Key, Rooms: g.Select(r => r.Room).ToList())).ToList();
        var several = rooms.Count > 1;
        if (groups.Count > 1)
        {
            var checks = await Task.WhenAll(groups.Select(g => ScopeAppendAsync(send, g.Partition, g.Rooms.Select(r => ("r", r, "")), checkOnly: true, false, cancellationToken)));
            // Refused in target order, so the error names the first refused room as a single script would.
            foreach (var reply in checks)
            {
                ThrowIfRefused(reply, message);
            }
        }
        var replies = await Task.WhenAll(groups.Select(g =>
            ScopeAppendAsync(send, g.Partition, g.Rooms.Select(r => ("r", r, RedisEnvelopeCodec.EncodeBody(message.Body with { Room = r }))), false, several, cancellationToken)));
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        var counted = 0;
        var replayed = false;
        (string Room, string Position)? first = null;
        foreach (var reply in replies)
        {
            ThrowIfRefused(reply, message);
            if ((string?)reply[0] == "replay")
            {
                // Only the first room of the partition and the count recorded there are kept: a retry of a send to
                // several partitions counts a user who is in rooms of two of them twice.
                replayed = true;
                counted += (int)reply[3];
                first ??= ((string)reply[1]!, (string)reply[2]!);
                continue;
            }
            foreach (var entry in (RedisResult[])reply[1]!)
            {
                first ??= ((string)entry[0]!, (string)entry[1]!);
                if (several)
                {
                    foreach (var member in (RedisResult[])entry[3]!)
                    {
                        recipients.Add((string)member!);
                    }
                }
                else
                {
                    counted += (int)entry[2];
                }
            }
        }
        // The first group holds the first room (groups keep the order of their first room), so `first` is its entry.
        var (room, position) = first!.Value;
        MessageId.TryParse(position, out var at);
        var envelope = (message.Body with { Room = room }).ToEnvelope(new MessageRef(DeliveryScope.Room(room), at));
        return new AppendResult(envelope, recipients.Count + counted, replayed);
    }

    private async Task<AppendResult> ToConversationAsync(Send send, DeliveryScope conversation, CancellationToken cancellationToken)
    {
        var message = send.Message;
        var to = conversation.PeerOf(message.From);
        if (message.RecipientsMustBeKnown && await FirstUnknownAsync(message.Ns, [to], cancellationToken) is { } unknown)
        {
            throw DeliveryErrors.UnknownUser(unknown);
        }
        await RegisterConversationAsync(message.Ns, conversation, cancellationToken);
        var reply = await ScopeAppendAsync(send, Keys.PartitionOf(conversation.Key), [("d", conversation.Name, RedisEnvelopeCodec.EncodeBody(message.Body))],
            false, false, cancellationToken);
        ThrowIfRefused(reply, message);
        var replayed = (string?)reply[0] == "replay";
        var (position, count) = replayed ? ((string)reply[2]!, (int)reply[3]) : ((string)reply[1][0][1]!, (int)reply[1][0][2]);
        MessageId.TryParse(position, out var at);
        return new AppendResult(message.Body.ToEnvelope(new MessageRef(conversation, at)), count, replayed);
    }

    // Messages addressed to users go into each one's own stream: one script per partition of the recipients (every
    // partition for "online" and "known", whose sets are kept per partition), run concurrently.
    private async Task<AppendResult> ToStreamsAsync(Send send, CancellationToken cancellationToken)
    {
        var message = send.Message;
        var target = message.Target;
        var kind = target.Users is not null ? "users" : target.Online ? "online" : "known";
        List<(int Partition, List<string> Users)> groups;
        if (target.Users is { } list)
        {
            var users = list.Distinct(StringComparer.Ordinal).ToList();
            if (message.RecipientsMustBeKnown && await FirstUnknownAsync(message.Ns, users, cancellationToken) is { } unknown)
            {
                throw DeliveryErrors.UnknownUser(unknown);
            }
            groups = [.. users.GroupBy(Keys.UserPartition).Select(g => (g.Key, g.ToList()))];
        }
        else
        {
            groups = [.. Enumerable.Range(0, Keys.Partitions).Select(p => (p, new List<string>()))];
        }
        var body = RedisEnvelopeCodec.EncodeBody(message.Body);
        var replies = await Task.WhenAll(groups.Select(async g =>
        {
            var args = new List<RedisValue>(12 + g.Users.Count)
            {
                Keys.Base(message.Ns, g.Partition), g.Partition, message.From, kind, target.ExceptUser ?? "", send.Now, _options.MaxPendingPerUser, body,
                RedisEnvelopeCodec.EncodeTrace(message.Trace), message.Key ?? "", (long)_options.IdempotencyWindow.TotalMilliseconds, send.Fingerprint,
            };
            args.AddRange(g.Users.Select(u => (RedisValue)u));
            var reply = await _redis.EvaluateAsync(RedisScripts.UserAppend, Keys.Counter(message.Ns, g.Partition), [.. args], cancellationToken);
            if ((string?)reply[0] is "ok" or "replay" && (int)reply[1] > 0)
            {
                send.Wrote(g.Partition);
            }
            return reply;
        }));
        var count = 0;
        var replayed = false;
        Envelope? first = null;
        foreach (var reply in replies)
        {
            if ((string?)reply[0] == "keyreused")
            {
                throw DeliveryErrors.KeyReused(message.Key!);
            }
            replayed |= (string?)reply[0] == "replay";
            count += (int)reply[1];
            if (first is null && (int)reply[1] > 0 && MessageId.TryParse((string?)reply[3], out var at))
            {
                first = message.Body.ToEnvelope(new MessageRef(DeliveryScope.User, at));
            }
        }
        // Nobody to deliver to (a broadcast with nobody else online): the sender still gets a receipt with the time.
        first ??= message.Body.ToEnvelope(new MessageRef(DeliveryScope.User, new MessageId(send.Now, 0)));
        return new AppendResult(first, count, replayed);
    }

    // A conversation is one scope; rooms are one script when they share a partition (ToRoomsAsync's grouping).
    private bool StoredByOneScript(DeliveryTarget target)
    {
        if (target.Conversation is not null)
        {
            return true;
        }
        if (target.Rooms is not { Count: > 0 } rooms)
        {
            return false;
        }
        var partition = Keys.RoomPartition(rooms[0]);
        for (var i = 1; i < rooms.Count; i++)
        {
            if (Keys.RoomPartition(rooms[i]) != partition)
            {
                return false;
            }
        }
        return true;
    }

    // One scope_append.lua call: the scopes (kind 'r' or 'd', name, body JSON) of one partition.
    private async Task<RedisResult> ScopeAppendAsync(Send send, int partition, IEnumerable<(string Kind, string Name, string Body)> scopes, bool checkOnly,
        bool wantMembers, CancellationToken cancellationToken)
    {
        var message = send.Message;
        var args = new List<RedisValue>
        {
            Keys.Base(message.Ns, partition), partition, message.From, message.SenderMustBeMember ? 1 : 0, send.Now, _options.RoomHistoryLength,
            RedisEnvelopeCodec.EncodeTrace(message.Trace), message.Key ?? "", (long)_options.IdempotencyWindow.TotalMilliseconds, send.Fingerprint,
            checkOnly ? 1 : 0, wantMembers ? 1 : 0, checkOnly ? "" : send.Claim,
        };
        foreach (var (kind, name, body) in scopes)
        {
            args.Add(kind);
            args.Add(name);
            args.Add(body);
        }
        var reply = await _redis.EvaluateAsync(RedisScripts.ScopeAppend, Keys.Counter(message.Ns, partition), [.. args], cancellationToken);
        if ((string?)reply[0] is "ok" or "replay")
        {
            send.Wrote(partition);
        }
        return reply;
    }

    private static void ThrowIfRefused(RedisResult reply, OutgoingMessage message)
    {
        switch ((string?)reply[0])
        {
            case "notfound": throw RoomErrors.NotFound((string)reply[1]!);
            case "notmember": throw RoomErrors.NotMember((string)reply[1]!);
            case "keyreused": throw DeliveryErrors.KeyReused(message.Key!);
        }
    }

    // The first of `users` that never connected to the namespace, or null. Known users stay known while the data lives,
    // so positive answers are cached and the common direct message reads nothing here.
    private async Task<string?> FirstUnknownAsync(string ns, IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var unsure = users.Where(u => !_facts.Contains(ns + "|k|" + u)).ToList();
        if (unsure.Count == 0)
        {
            return null;
        }
        var known = await Task.WhenAll(unsure.GroupBy(Keys.UserPartition).Select(async g =>
        {
            var members = g.Select(u => (RedisValue)u).ToArray();
            var found = await _redis.RunAsync(db => db.SetContainsAsync(Keys.Known(ns, g.Key), members), cancellationToken);
            return g.Zip(found);
        }));
        var answers = known.SelectMany(k => k).ToDictionary(k => k.First, k => k.Second, StringComparer.Ordinal);
        foreach (var (user, isKnown) in answers.Where(a => a.Value))
        {
            _facts.Add(ns + "|k|" + user);
        }
        return users.FirstOrDefault(u => answers.TryGetValue(u, out var k) && !k);
    }

    // Records the conversation with each party (in their partitions), before its first message is stored, so a device
    // of either opens it at connect. Cached: once recorded it stays while the data lives.
    private async Task RegisterConversationAsync(string ns, DeliveryScope conversation, CancellationToken cancellationToken)
    {
        var fact = ns + "|d|" + conversation.Name;
        if (_facts.Contains(fact))
        {
            return;
        }
        var slash = conversation.Name.IndexOf('/');
        string[] parties = [conversation.Name[..slash], conversation.Name[(slash + 1)..]];
        await Task.WhenAll(parties.Distinct(StringComparer.Ordinal).Select(party =>
            _redis.RunAsync(db => db.SetAddAsync(Keys.UserConversations(ns, party), conversation.Name), cancellationToken)));
        _facts.Add(fact);
    }

    // One append: the message, its time and fingerprint, and the partitions it was written to (for WAIT).
    private sealed class Send(OutgoingMessage message, long now, string fingerprint)
    {
        private readonly HashSet<int> _written = [];

        public OutgoingMessage Message { get; } = message;

        public long Now { get; } = now;

        public string Fingerprint { get; } = fingerprint;

        // The key's claim for the append script to make ('' when the server makes it first, or for no key).
        public string Claim { get; init; } = "";

        public bool ClaimsInScript => Claim.Length > 0;

        public IReadOnlyCollection<int> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        public void Wrote(int partition)
        {
            lock (_written)
            {
                _written.Add(partition);
            }
        }
    }
}
