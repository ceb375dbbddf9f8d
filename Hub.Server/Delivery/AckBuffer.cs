using Microsoft.Extensions.Options;

namespace Hub.Server.Delivery;

/// <summary>
/// Gathers a node's acknowledgements and writes each device's to the store once per <see cref="DeliveryOptions.AckFlushInterval"/>:
/// acks are cumulative per scope, so only the greatest position per room, conversation and stream is written, however
/// many <c>Ack</c> calls brought it. An <c>Ack</c> then costs no store round trip of its own (in Redis mode, at 20 rooms
/// × 10 members, Redis ran more ack scripts than appends). A device's acks are written before its next resume on this
/// node reads its cursors, when one of its connections closes here, and at shutdown; what a node that dies holds is at
/// most one interval of acks, whose messages are delivered again at the next resume, as those the client had not yet
/// acknowledged are (clients drop ids they have seen). Nothing is ever lost by it: a cursor only moves later, never
/// further. An interval of 0 writes every <c>Ack</c> before it returns.
/// </summary>
public sealed partial class AckBuffer : BackgroundService
{
    private readonly IDeliveryStore _store;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<DeviceKey, DeviceAcks> _devices = [];
    private volatile bool _stopped;

    /// <summary>Creates the node's buffer; it writes on its own once started as a hosted service.</summary>
    public AckBuffer(IDeliveryStore store, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<AckBuffer> logger)
    {
        _store = store;
        _interval = options.Value.AckFlushInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Takes a device's acknowledgements: with an interval, keeps the greatest id per scope for the next write and
    /// returns at once; without one (or once the node stops), writes them now.
    /// </summary>
    public Task AckAsync(string ns, string user, string device, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        if (_interval == TimeSpan.Zero || _stopped)
        {
            return _store.AckAsync(ns, user, device, ids, cancellationToken);
        }
        // Parsed outside the lock, which every Ack of the node takes: only the merge runs under it.
        var greatest = new Dictionary<string, MessageRef>(StringComparer.Ordinal);
        MessageRef.KeepGreatest(greatest, ids, _time.GetUtcNow());
        if (greatest.Count > 0)
        {
            Merge(new DeviceKey(ns, user, device), greatest.Values);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes what this node holds of a device's acknowledgements and waits for any write of them already under way:
    /// once it returns, the store's cursors of the device include every <c>Ack</c> this node took for it.
    /// </summary>
    public Task FlushAsync(string ns, string user, string device, CancellationToken cancellationToken = default) =>
        Flush(new DeviceKey(ns, user, device)).WaitAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAllAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // From now on every Ack is written before it returns; what is held is written before the node goes.
        _stopped = true;
        await base.StopAsync(cancellationToken);
        await FlushAllAsync().WaitAsync(cancellationToken);
    }

    private Task FlushAllAsync()
    {
        List<DeviceKey> keys;
        lock (_gate)
        {
            keys = [.. _devices.Keys];
        }
        return Task.WhenAll(keys.Select(Flush));
    }

    // Starts writing the device's pending acks after its previous write (so a later write never lands before an earlier
    // one), and returns the device's last write. A device with nothing pending and nothing under way is forgotten.
    private Task Flush(DeviceKey key)
    {
        Dictionary<string, MessageRef> pending;
        Task previous;
        TaskCompletionSource written;
        lock (_gate)
        {
            if (!_devices.TryGetValue(key, out var acks))
            {
                return Task.CompletedTask;
            }
            if (acks.Pending.Count == 0)
            {
                if (acks.Writing.IsCompleted)
                {
                    _devices.Remove(key);
                }
                return acks.Writing;
            }
            pending = acks.Pending;
            acks.Pending = new(StringComparer.Ordinal);
            previous = acks.Writing;
            written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            acks.Writing = written.Task;
        }
        // Outside the lock: the store call must not run under it.
        _ = WriteAsync(key, pending, previous, written);
        return written.Task;
    }

    private async Task WriteAsync(DeviceKey key, Dictionary<string, MessageRef> pending, Task previous, TaskCompletionSource written)
    {
        try
        {
            await previous;
            await _store.AckAsync(key.Ns, key.User, key.Device, [.. pending.Values.Select(at => at.ToString())]);
        }
        catch (Exception ex)
        {
            // The store is unreachable: the acks go back for the next write (unless newer ones passed them). Until
            // then the messages count as unacknowledged, which is safe: at worst they are delivered again.
            Log.AckWriteFailed(_logger, key.Ns, key.User, pending.Count, ex);
            Merge(key, pending.Values);
        }
        finally
        {
            written.TrySetResult();
        }
    }

    // Adds references to the device's pending acks, keeping the greatest per scope (newer acks, or ones a failed write
    // gives back).
    private void Merge(DeviceKey key, IEnumerable<MessageRef> references)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(key, out var acks))
            {
                _devices[key] = acks = new DeviceAcks();
            }
            foreach (var at in references)
            {
                MessageRef.KeepGreatest(acks.Pending, at);
            }
        }
    }

    private readonly record struct DeviceKey(string Ns, string User, string Device);

    // One device's acks not yet written (the greatest per scope key) and its last write.
    private sealed class DeviceAcks
    {
        public Dictionary<string, MessageRef> Pending { get; set; } = new(StringComparer.Ordinal);
        public Task Writing { get; set; } = Task.CompletedTask;
    }
}
