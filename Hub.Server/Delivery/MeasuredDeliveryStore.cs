using System.Diagnostics;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Telemetry;

namespace Hub.Server.Delivery;

/// <summary>
/// The one place a delivery store call is measured (<c>hub.store.duration</c>, <c>hub.store.failures</c>) and traced
/// (a <c>hub.store</c> activity, a child of the caller's, e.g. <c>hub.send</c>), whichever store is behind it: every
/// caller (sender, dispatcher, hubs, rooms) gets the store through this decorator.
/// </summary>
internal sealed class MeasuredDeliveryStore(IDeliveryStore inner, HubMetrics metrics, TimeProvider time) : IDeliveryStore
{
    public Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken = default) =>
        MeasureAsync("append", message.Ns, () => inner.AppendAsync(message, cancellationToken), cancellationToken);

    public Task<QueueInfo> OpenQueueAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        MeasureAsync("open_queue", ns, () => inner.OpenQueueAsync(ns, user, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Envelope>> ReadPendingAsync(string ns, string user, string? afterId, int count, CancellationToken cancellationToken = default) =>
        MeasureAsync("read_pending", ns, () => inner.ReadPendingAsync(ns, user, afterId, count, cancellationToken), cancellationToken);

    public Task<int> AckAsync(string ns, string user, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        MeasureAsync("ack", ns, () => inner.AckAsync(ns, user, ids, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Envelope>> GetHistoryAsync(string ns, string room, string? beforeId, int limit, CancellationToken cancellationToken = default) =>
        MeasureAsync("history", ns, () => inner.GetHistoryAsync(ns, room, beforeId, limit, cancellationToken), cancellationToken);

    public Task<IAsyncDisposable> SubscribeAsync(string ns, Action<StoredMessage> onDelivery, Action onGap, CancellationToken cancellationToken = default) =>
        MeasureAsync("subscribe", ns, () => inner.SubscribeAsync(ns, onDelivery, onGap, cancellationToken), cancellationToken);

    private async Task<T> MeasureAsync<T>(string operation, string ns, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        using var activity = HubActivities.Source.StartActivity("hub.store", ActivityKind.Client);
        activity?.SetTag("hub.store.operation", operation);
        activity?.SetTag("hub.namespace", ns);
        var started = time.GetTimestamp();
        string? errorType = null;
        try
        {
            return await call();
        }
        // A refusal (not a member, unknown user...) is the store answering, and a cancelled call was given up by its
        // caller: neither is the store failing.
        catch (Exception ex) when (ex is not HubRequestException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            errorType = ex.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", errorType);
            throw;
        }
        finally
        {
            metrics.StoreCalled(operation, ns, time.GetElapsedTime(started), errorType);
        }
    }
}
