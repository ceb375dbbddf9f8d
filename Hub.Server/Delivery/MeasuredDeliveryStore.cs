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

    public Task<DeviceBacklog> OpenDeviceAsync(string ns, string user, string device, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("open_device", ns, () => inner.OpenDeviceAsync(ns, user, device, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<BacklogPage>> ReadBacklogAsync(string ns, string user, IReadOnlyList<BacklogScope> scopes, int count, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("read_backlog", ns, () => inner.ReadBacklogAsync(ns, user, scopes, count, cancellationToken), cancellationToken);

    public Task<int> AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("ack", ns, () => inner.AckAsync(ns, user, device, ids, cancellationToken), cancellationToken);

    public Task<AppendResult> EditAsync(MessageEdit edit, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("edit", edit.Ns, () => inner.EditAsync(edit, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, DeliveryScope scope, MessageId? before, int limit, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("history", ns, () => inner.GetHistoryAsync(ns, scope, before, limit, cancellationToken), cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("subscribe", ns, () => inner.SubscribeAsync(ns, onDelivery, onGap, cancellationToken), cancellationToken);
}
