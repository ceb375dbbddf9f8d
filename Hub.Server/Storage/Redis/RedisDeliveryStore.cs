using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Pending queues as Redis streams (cluster mode). A send is one script call whatever the number of recipients;
/// the script also publishes the message, so every node receives messages in store order.
/// </summary>
internal sealed class RedisDeliveryStore(RedisStoreConnection redis, RedisSubscriptionMonitor monitor, RedisDataLoss dataLoss, IOptions<DeliveryOptions> options,
    TimeProvider time) : IDeliveryStore
{
    private readonly DeliveryOptions _options = options.Value;

    private RedisKeys Keys => redis.Keys;

    public async Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        var target = message.Target;
        var targets = target.Rooms ?? target.Users ?? [];
        var now = time.GetUtcNow();
        const int First = 15;
        var args = new RedisValue[First + targets.Count];
        args[0] = Keys.Base(message.Ns);
        args[1] = Keys.Deliveries(message.Ns);
        args[2] = message.From;
        args[3] = target.Kind;
        args[4] = target.ExceptUser ?? "";
        args[5] = message.SenderMustBeMember ? 1 : 0;
        args[6] = now.ToUnixTimeMilliseconds();
        args[7] = _options.MaxPendingPerUser;
        args[8] = _options.RoomHistoryLength;
        args[9] = RedisEnvelopeCodec.EncodeBody(message.Body);
        args[10] = message.Key ?? "";
        args[11] = (long)_options.IdempotencyWindow.TotalMilliseconds;
        args[12] = message.Key is null ? "" : SendKeys.Fingerprint(message);
        args[13] = message.RecipientsMustBeKnown ? 1 : 0;
        args[14] = RedisEnvelopeCodec.EncodeTrace(message.Trace);
        for (var i = 0; i < targets.Count; i++)
        {
            args[First + i] = targets[i];
        }

        RedisResult reply;
        try
        {
            reply = await redis.EvaluateAsync(RedisScripts.Append, args, cancellationToken);
        }
        catch (StoreUnavailableException ex) when (ex.MayHaveRun)
        {
            // The script reached Redis and its answer did not come back: it may have stored the message, so the sender
            // must not be told "nothing stored"; a retry with the same key is safe.
            throw new StoreOutcomeUnknownException(ex.InnerException);
        }
        switch ((string?)reply[0])
        {
            case "notfound": throw RoomErrors.NotFound((string)reply[1]!);
            case "notmember": throw RoomErrors.NotMember((string)reply[1]!);
            case "unknownuser": throw DeliveryErrors.UnknownUser((string)reply[1]!);
            case "keyreused": throw DeliveryErrors.KeyReused((string)reply[1]!);
        }
        var envelope = RedisEnvelopeCodec.ToEnvelope(message.Body, (string)reply[1]!, (string?)reply[2]);
        return new AppendResult(envelope, (int)reply[3], Replayed: reply.Length > 4);
    }

    // Placeholder while the Redis store moves to room logs and device cursors (issue 12): replaced on its branch.
    public Task<DeviceBacklog> OpenDeviceAsync(string ns, string user, string device, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<BacklogPage>> ReadBacklogAsync(string ns, string user, IReadOnlyList<BacklogScope> scopes, int count, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<int> AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, DeliveryScope scope, MessageId? before, int limit, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public async Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default)
    {
        // One queue per channel, handled one message at a time: announcements reach the dispatcher in store order.
        var subscription = await redis.Subscriber.SubscribeAsync(Keys.Deliveries(ns), payload => onDelivery(RedisEnvelopeCodec.DecodeDelivery(payload)), cancellationToken);
        // Announcements were missed (the subscription was interrupted), or Redis lost every queue: either way the
        // subscriber recovers its connections from the store.
        monitor.Gap += onGap;
        dataLoss.Lost += onGap;
        return new GapSubscription(subscription, monitor, dataLoss, onGap);
    }

    private sealed class GapSubscription(IAsyncDisposable inner, RedisSubscriptionMonitor monitor, RedisDataLoss dataLoss, Action onGap) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            monitor.Gap -= onGap;
            dataLoss.Lost -= onGap;
            return inner.DisposeAsync();
        }
    }

    private long MinimumIdMs(DateTimeOffset now) => now.Subtract(_options.MaxPendingAge).ToUnixTimeMilliseconds();

    private static string NewEpoch() => Guid.NewGuid().ToString("N")[..12];

    private static List<Envelope> Decode(StreamEntry[] entries, bool reverse)
    {
        var list = new List<Envelope>(entries.Length);
        foreach (var entry in entries)
        {
            list.Add(RedisEnvelopeCodec.DecodeEntry(entry));
        }
        if (reverse)
        {
            list.Reverse();
        }
        return list;
    }
}
