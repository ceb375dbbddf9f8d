using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hub.Server.Common;

namespace Hub.Server.Telemetry;

/// <summary>
/// Hub's own meter (<see cref="MeterName"/>): what the service does, by namespace (<c>hub.namespace</c>). Names and
/// units follow OpenTelemetry's conventions (dot-separated, a unit per instrument, counts in <c>{curly}</c> units);
/// Prometheus sees them as <c>hub_messages_stored_total</c> and so on. Every instrument is cheap when nobody
/// listens, and hot paths record once per message or per batch, never per connection.
/// </summary>
public sealed class HubMetrics
{
    /// <summary>The meter's name, to subscribe to (<c>AddMeter</c>) or list with <c>dotnet-counters</c>.</summary>
    public const string MeterName = "Hub";

    private const string NamespaceTag = "hub.namespace";

    private readonly Counter<long> _stored;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _acks;
    private readonly Counter<long> _resumes;
    private readonly Histogram<double> _resumeDuration;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _refusals;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _slowCloses;
    private readonly Counter<long> _gaps;
    private readonly Histogram<double> _storeDuration;
    private readonly Counter<long> _storeFailures;

    // The last pending sample per namespace (PendingSampled), read by the observable gauges at each collection.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Total, long Deepest, long Users)> _pending = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/> (so tests and hosts each get their own).</summary>
    public HubMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("hub.messages.stored", "{message}", "Messages stored (and so accepted): one per send, whatever the recipients.");
        _deliveries = meter.CreateCounter<long>("hub.deliveries", "{delivery}", "Messages handed to connections, by hub.delivery.kind: live or redelivered.");
        _acks = meter.CreateCounter<long>("hub.acks", "{message}", "Message ids acknowledged by clients.");
        _resumes = meter.CreateCounter<long>("hub.resumes", "{resume}", "Connections whose pending queue was redelivered (every connect), by hub.resume.recovered.");
        _resumeDuration = meter.CreateHistogram<double>("hub.resume.duration", "s", "From a connection's registration to its Resumed event.");
        _dropped = meter.CreateCounter<long>("hub.messages.dropped", "{message}", "Pending entries dropped by the queue bounds (reported to the client in Resumed.dropped).");
        _refusals = meter.CreateCounter<long>("hub.refusals", "{refusal}", "Calls and connections refused on purpose, by hub.refusal.reason.");
        _connections = meter.CreateUpDownCounter<long>("hub.connections", "{connection}", "Live hub connections on this node.");
        _slowCloses = meter.CreateCounter<long>("hub.connections.slow_closed", "{connection}", "Connections closed because they did not keep up, by hub.slow.reason (queue overflow, write timeout...).");
        _storeDuration = meter.CreateHistogram<double>("hub.store.duration", "s", "Calls to the delivery and room stores (memory or Redis), by hub.store.operation, refused or failed ones included.");
        _storeFailures = meter.CreateCounter<long>("hub.store.failures", "{failure}", "Delivery and room store calls that failed (not refusals: the store unreachable, timed out, or its outcome unknown), by hub.store.operation and error.type.");
        meter.CreateObservableGauge("hub.pending.messages", () => Pending(p => p.Total), "{message}",
            "Messages stored and not yet acknowledged by the users' devices, summed over the users sampled (hub.pending.users), as of the last sample (Admin:PendingSampleInterval).");
        meter.CreateObservableGauge("hub.pending.deepest", () => Pending(p => p.Deepest), "{message}",
            "The deepest pending queue among the users sampled, as of the last sample.");
        meter.CreateObservableGauge("hub.pending.users", () => Pending(p => p.Users), "{user}",
            "Users whose pending queues the last sample measured (at most Admin:MaxQueuesScanned per namespace).");
        _gaps = meter.CreateCounter<long>("hub.announcement.gaps", "{gap}", "Times a node found store announcements missed (or the store's data lost) and made its connections resume.");
    }

    /// <summary>A message was stored.</summary>
    public void MessageStored(string ns) => _stored.Add(1, new KeyValuePair<string, object?>(NamespaceTag, ns));

    /// <summary><paramref name="count"/> live deliveries of one message.</summary>
    public void DeliveredLive(string ns, int count)
    {
        if (count > 0)
        {
            _deliveries.Add(count, new KeyValuePair<string, object?>(NamespaceTag, ns), new KeyValuePair<string, object?>("hub.delivery.kind", "live"));
        }
    }

    /// <summary>A resume: how many messages it redelivered, how many the bounds had dropped, how long it took.</summary>
    public void Resumed(string ns, int redelivered, long dropped, bool recovered, TimeSpan duration)
    {
        var nsTag = new KeyValuePair<string, object?>(NamespaceTag, ns);
        if (redelivered > 0)
        {
            _deliveries.Add(redelivered, nsTag, new KeyValuePair<string, object?>("hub.delivery.kind", "redelivered"));
        }
        if (dropped > 0)
        {
            _dropped.Add(dropped, nsTag);
        }
        _resumes.Add(1, nsTag, new KeyValuePair<string, object?>("hub.resume.recovered", recovered));
        _resumeDuration.Record(duration.TotalSeconds, nsTag);
    }

    /// <summary><paramref name="count"/> ids acknowledged.</summary>
    public void Acked(string ns, int count) => _acks.Add(count, new KeyValuePair<string, object?>(NamespaceTag, ns));

    /// <summary>A call or connection refused on purpose; <paramref name="reason"/> is its error code (<c>Hub.Contracts.HubErrorCodes</c>).</summary>
    public void Refused(string? ns, string reason) =>
        _refusals.Add(1, new KeyValuePair<string, object?>(NamespaceTag, ns), new KeyValuePair<string, object?>("hub.refusal.reason", reason));

    /// <summary>A connection opened (+1) or closed (-1).</summary>
    public void ConnectionChanged(string ns, int delta) => _connections.Add(delta, new KeyValuePair<string, object?>(NamespaceTag, ns));

    /// <summary>A connection closed for not keeping up.</summary>
    public void SlowConnectionClosed(string ns, string reason) =>
        _slowCloses.Add(1, new KeyValuePair<string, object?>(NamespaceTag, ns), new KeyValuePair<string, object?>("hub.slow.reason", reason));

    /// <summary>Announcements were found missed (or the store's data lost).</summary>
    public void AnnouncementGap(string ns) => _gaps.Add(1, new KeyValuePair<string, object?>(NamespaceTag, ns));

    /// <summary>
    /// One store call of <paramref name="operation"/> (append, ack...) took <paramref name="duration"/>;
    /// <paramref name="errorType"/> names the failure's exception type, or is <c>null</c> when it answered.
    /// </summary>
    public void StoreCalled(string operation, string? ns, TimeSpan duration, string? errorType)
    {
        var operationTag = new KeyValuePair<string, object?>("hub.store.operation", operation);
        var nsTag = new KeyValuePair<string, object?>(NamespaceTag, ns);
        _storeDuration.Record(duration.TotalSeconds, operationTag, nsTag);
        if (errorType is not null)
        {
            _storeFailures.Add(1, operationTag, nsTag, new KeyValuePair<string, object?>("error.type", errorType));
        }
    }

    /// <summary>
    /// A sample of pending depth in <paramref name="ns"/>: <paramref name="total"/> messages not yet acknowledged by
    /// the <paramref name="users"/> users measured, the deepest queue among them <paramref name="deepest"/>.
    /// </summary>
    public void PendingSampled(string ns, long total, long deepest, long users) => _pending[ns] = (total, deepest, users);

    private IEnumerable<Measurement<long>> Pending(Func<(long Total, long Deepest, long Users), long> value) =>
        _pending.Select(p => new Measurement<long>(value(p.Value), new KeyValuePair<string, object?>(NamespaceTag, p.Key)));
}
