using Hub.Contracts;
using Hub.Server.Telemetry;

namespace Hub.Server.Delivery;

/// <summary>
/// Every delivery store call measured and traced (<see cref="StoreCalls"/>), whichever store is behind it: every
/// caller (sender, dispatcher, hubs, rooms) gets the store through this decorator.
/// </summary>
internal sealed class MeasuredDeliveryStore(IDeliveryStore inner, StoreCalls calls) : IDeliveryStore
{
    public Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("append", message.Ns, () => inner.AppendAsync(message, cancellationToken), cancellationToken);

    public Task<QueueInfo> OpenQueueAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("open_queue", ns, () => inner.OpenQueueAsync(ns, user, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Envelope>> ReadPendingAsync(string ns, string user, string? afterId, int count, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("read_pending", ns, () => inner.ReadPendingAsync(ns, user, afterId, count, cancellationToken), cancellationToken);

    public Task<int> AckAsync(string ns, string user, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("ack", ns, () => inner.AckAsync(ns, user, ids, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, string room, string? beforeId, int limit, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("history", ns, () => inner.GetHistoryAsync(ns, room, beforeId, limit, cancellationToken), cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("subscribe", ns, () => inner.SubscribeAsync(ns, onDelivery, onGap, cancellationToken), cancellationToken);
}
