using System.Diagnostics;
using System.Threading.Channels;
using Hub.Server.Common;
using Hub.Server.Delivery.Outbound;
using Hub.Server.Limits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Hub.Server.Telemetry;

namespace Hub.Server.Delivery;

/// <summary>
/// Sends stored messages to this node's connections of one namespace. It subscribes to the store's announcements
/// (in store order) and handles them one at a time, so every connection sees messages in the order they were stored;
/// at connect it redelivers the user's pending queue before switching the connection to live. Everything it sends a
/// connection goes through that connection's <see cref="ConnectionWriter"/>: a bounded queue with its own writer, so
/// one slow connection never holds up the others, and order per connection is the order things were queued.
/// </summary>
/// <typeparam name="THub">The namespace's hub.</typeparam>
public sealed partial class DeliveryDispatcher<THub> : BackgroundService, INamespaceDispatcher
    where THub : Microsoft.AspNetCore.SignalR.Hub, INamespaceHub
{
    private readonly IDeliveryStore _store;
    private readonly AckBuffer _acks;
    private readonly HubConnectionRegistry<THub> _hubConnections;
    private readonly DeliveryOptions _options;
    private readonly LimitsOptions _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _writerLogger;
    private readonly HubMetrics _metrics;
    private readonly LocalConnections _connections;
    private readonly Channel<StoredMessage> _inbox = Channel.CreateUnbounded<StoredMessage>(new() { SingleReader = true });
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HubNamespace _ns = THub.Namespace;

    // Most announcements queued to connections before their writers start: bounds how long the first connection
    // waits for a burst to be routed.
    private const int MaxMessagesPerTurn = 64;

    // Per store partition, the counter of the last announcement handled (read and written by the dispatch loop only).
    private readonly Dictionary<int, long> _lastCounters = [];

    // Set by a gap (on another thread), read by the dispatch loop: a partition may number from 1 again (the store lost its data).
    private volatile bool _sequenceRestarts;

    // Partitions whose first announcement since the last gap has not come yet (dispatch loop only): for them, and only
    // for them, a counter of 1 starts a new sequence rather than being a step back.
    private readonly HashSet<int> _mayRestart = [];

    /// <summary>Creates the dispatcher of <typeparamref name="THub"/>'s namespace.</summary>
    internal DeliveryDispatcher(IDeliveryStore store, AckBuffer acks, HubConnectionRegistry<THub> hubConnections, IOptions<DeliveryOptions> options,
        IOptions<LimitsOptions> limits, TimeProvider time, ILoggerFactory loggers, HubMetrics metrics)
    {
        _metrics = metrics;
        _store = store;
        _acks = acks;
        _hubConnections = hubConnections;
        _options = options.Value;
        _limits = limits.Value;
        _time = time;
        _logger = loggers.CreateLogger<DeliveryDispatcher<THub>>();
        _writerLogger = loggers.CreateLogger<ConnectionWriter>();
        _connections = new LocalConnections(_options.OutboundQueueMessages, _options.OutboundQueueBytes);
    }

    /// <inheritdoc/>
    public HubNamespace Namespace => _ns;

    /// <inheritdoc/>
    public int ConnectionCount => _connections.Count;

    /// <inheritdoc/>
    public Task Subscribed => _subscribed.Task;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var subscription = await _store.SubscribeAsync(_ns.Name, m => _inbox.Writer.TryWrite(m), OnGap, stoppingToken);
            _subscribed.TrySetResult();
            // Everything the inbox holds is queued before any writer starts, so when announcements arrive faster than
            // one at a time, a connection gets them in one write (ConnectionWriter) rather than a flush each; with
            // Delivery:WriteDelay, a busy connection also gathers what arrives within its window (WriteWindow).
            var idle = new List<ConnectionWriter>();
            var window = new WriteWindow(_options.WriteDelay, _time);
            Task<bool>? arrival = null;
            while (true)
            {
                if (arrival is null && !window.Holding)
                {
                    if (!await _inbox.Reader.WaitToReadAsync(stoppingToken))
                    {
                        break;
                    }
                    DispatchTurn(idle);
                }
                else
                {
                    // Writers are held: wake for the first of them or for the next message, whichever comes first (a
                    // message may be for a quiet connection, which waits for nobody's window).
                    arrival ??= _inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
                    if (!window.Holding)
                    {
                        await arrival;
                    }
                    else if (!arrival.IsCompleted && window.UntilNext is { Ticks: > 0 } wait)
                    {
                        await Task.WhenAny(arrival, Task.Delay(wait, _time, stoppingToken));
                    }
                    if (arrival.IsCompleted)
                    {
                        if (!await arrival)
                        {
                            break;
                        }
                        arrival = null;
                        DispatchTurn(idle);
                    }
                }
                window.Start(idle);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void DispatchTurn(List<ConnectionWriter> idle)
    {
        for (var turn = 0; turn < MaxMessagesPerTurn && _inbox.Reader.TryRead(out var message); turn++)
        {
            Dispatch(message, idle);
        }
    }

    // Live announcements may have been lost: close this node's connections so each client reconnects and gets its
    // queue redelivered. Heavy-handed but exact; it only happens when Redis itself was interrupted.
    private void OnGap()
    {
        _metrics.AnnouncementGap(_ns.Name);
        Log.GapRecovered(_logger, _ns.Name, AbortConnections());
        // Every connection held before now is closed. After a data loss each partition numbers from 1 again: that is a
        // new sequence, not a step back that closes them all a second time. Any other counter must still follow the
        // last one (see Dispatch).
        _sequenceRestarts = true;
    }

    // Forgets every connection at once (so the dispatch loop routes nothing more to them) and closes them.
    private int CloseAllConnections()
    {
        var connections = _connections.Snapshot();
        foreach (var connection in connections)
        {
            _connections.Remove(connection);
            connection.Context.Abort();
        }
        return connections.Count;
    }

    private void Dispatch(StoredMessage message, List<ConnectionWriter> idle)
    {
        // Joins the send's trace when the announcement carried it (from this node or another); null when nobody listens.
        using var activity = HubActivities.Source.StartActivity("hub.dispatch", ActivityKind.Consumer, message.Trace);
        activity?.SetTag("hub.namespace", _ns.Name);
        activity?.SetTag("hub.message.id", message.Envelope.Id);
        MessageRef.TryParse(message.Envelope.Id, out var reference);
        // The store numbers each partition's announcements consecutively, so a jump means announcements were missed
        // (the subscription was interrupted) and a step back means the store lost its data. Either way no connection
        // may get this message ahead of one it missed (acks are cumulative: acknowledging it would skip the missed
        // one): close them all first, here in the dispatch loop, so nothing later reaches them; their clients resume
        // from their cursors, in order (or learn of the loss).
        //
        // A gap does not excuse a jump: on a Redis Cluster a failover interrupts one partition's (sharded) subscription
        // while clients reconnect and read the logs on the promoted master, and what that partition stores between
        // their reads and the subscription's return reaches this node only as a jump in its counter. Only a counter of
        // 1, the first announcement of a store that lost its data, starts a new sequence after a gap: nothing came
        // before it to be missed.
        if (_sequenceRestarts)
        {
            _sequenceRestarts = false;
            _mayRestart.UnionWith(_lastCounters.Keys);
        }
        var restarts = _mayRestart.Remove(message.Partition) && message.Counter == 1;
        if (!restarts && _lastCounters.TryGetValue(message.Partition, out var last) && message.Counter != last + 1)
        {
            _metrics.AnnouncementGap(_ns.Name);
            Log.AnnouncementsOutOfSequence(_logger, _ns.Name, last, message.Counter, CloseAllConnections());
        }
        _lastCounters[message.Partition] = message.Counter;
        // Serialized lazily, once per protocol, however many connections it goes to (as SignalR's own group sends).
        var live = new LiveMessage(reference, new SerializedHubMessage(new InvocationMessage(_ns.EventOf(message.Envelope), [message.Envelope])));
        List<LocalConnection>? overflowed = null;
        var delivered = 0;
        foreach (var connection in _connections.Route(message.Recipients, live, ref overflowed))
        {
            // Never waits: a full queue closes that connection (its client reconnects and gets the message redelivered).
            if (connection.Writer.TryWrite(live.Message, idle))
            {
                delivered++;
            }
        }
        _metrics.DeliveredLive(_ns.Name, delivered);
        activity?.SetTag("hub.deliveries", delivered);
        overflowed?.ForEach(c => c.Writer.Close(SlowConnectionReason.ResumeBufferFull));
    }
}
