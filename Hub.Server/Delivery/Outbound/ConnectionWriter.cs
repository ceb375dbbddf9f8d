using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Hub.Server.Telemetry;

namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// The one path by which the dispatcher sends to a connection: a bounded <see cref="OutboundQueue{T}"/> drained by
/// this connection's own writer, so the dispatcher never waits for one connection's socket. Messages are
/// <see cref="SerializedHubMessage"/>s shared by every recipient, so each is serialized once per protocol however
/// many connections it goes to. A connection that lets its queue overflow, or leaves one write pending longer than
/// the write timeout, is aborted (logged once): its client reconnects and gets what it missed redelivered from its
/// pending queue, which is the truth; the live path is only a shortcut.
/// </summary>
internal sealed partial class ConnectionWriter
{
    private readonly HubConnectionContext _connection;
    private readonly OutboundQueue<SerializedHubMessage> _queue;
    private readonly TimeSpan _writeTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HubMetrics _metrics;
    private readonly string _ns;
    private readonly string _user;
    private int _closed;

    // The most bytes sent as one write when messages pile up (a single larger message still goes alone): large enough
    // to carry a burst, small enough not to hold a big buffer per connection.
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>Creates the writer of <paramref name="connection"/>; it starts writing when something is queued.</summary>
    public ConnectionWriter(HubConnectionContext connection, string ns, string user, DeliveryOptions options, TimeProvider time, ILogger logger,
        HubMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _ns = ns;
        _user = user;
        _queue = new OutboundQueue<SerializedHubMessage>(options.OutboundQueueMessages, options.OutboundQueueBytes);
        _writeTimeout = options.LiveSendTimeout;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>
    /// When the dispatch loop last started this writer (<see cref="TimeProvider.GetTimestamp"/>), for its
    /// <see cref="WriteWindow"/>; read and written by the dispatch loop only.
    /// </summary>
    public long LastStarted { get; set; } = long.MinValue / 2;

    /// <summary>Whether the connection was closed for being slow.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The size of <paramref name="message"/> in this connection's protocol (serializing it once for that protocol).</summary>
    public int SizeOf(SerializedHubMessage message) => message.GetSerializedMessage(_connection.Protocol).Length;

    /// <summary>Queues a live message; when the queue is full, closes the connection instead (the message stays pending).</summary>
    /// <returns>False when the message was not queued.</returns>
    /// <param name="message">The message.</param>
    /// <param name="idle">
    /// Where to add this writer when nobody drains its queue yet; the caller calls <see cref="StartDraining"/> once it has
    /// queued everything it has at hand, so those messages go out in one write. <c>null</c> starts the writer at once.
    /// </param>
    public bool TryWrite(SerializedHubMessage message, List<ConnectionWriter>? idle = null)
    {
        switch (_queue.TryEnqueue(message, SizeOf(message)))
        {
            case EnqueueResult.StartDraining:
                if (idle is null)
                {
                    _ = DrainAsync();
                }
                else
                {
                    idle.Add(this);
                }
                return true;
            case EnqueueResult.Queued:
                return true;
            case EnqueueResult.Full:
                Close(SlowConnectionReason.QueueFull);
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Queues a message of the backlog (or <c>Resumed</c>), waiting while the queue is full: the backlog is read at the
    /// pace the connection takes it, and a connection that stops taking it is closed by the write timeout.
    /// </summary>
    public async ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default)
    {
        if (await _queue.EnqueueAsync(message, SizeOf(message), cancellationToken).ConfigureAwait(false) == EnqueueResult.StartDraining)
        {
            _ = DrainAsync();
        }
    }

    /// <summary>Starts the writer of a queue <see cref="TryWrite"/> reported idle.</summary>
    public void StartDraining() => _ = DrainAsync();

    /// <summary>Closes the connection for being slow: aborts it and drops what is queued. Only the first call logs.</summary>
    public void Close(SlowConnectionReason reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        Log.SlowConnectionClosed(_logger, _ns, _user, _connection.ConnectionId, reason);
        _metrics.SlowConnectionClosed(_ns, reason switch
        {
            SlowConnectionReason.QueueFull => "queue_full",
            SlowConnectionReason.ResumeBufferFull => "resume_buffer_full",
            SlowConnectionReason.WriteTimeout => "write_timeout",
            _ => "write_failed",
        });
        _queue.Close();
        _connection.Abort();
    }

    // Runs while the queue has items; the first write runs on the caller's thread (Kestrel's pipe takes it at once
    // unless the client is behind), so a fast connection costs no thread hop, like SignalR's own sends. What has piled
    // up meanwhile goes out as one write: the hub protocols delimit their messages (a record separator in JSON, a
    // length prefix in MessagePack), so messages laid end to end are what the client would read from several writes,
    // and the connection pays one flush, one WebSocket frame and one send() for them instead of one each. Under load
    // that is most of a node's CPU (perf: a third of it in send() when every message was flushed on its own).
    private async Task DrainAsync()
    {
        var aborted = _connection.ConnectionAborted;
        var batch = new List<(SerializedHubMessage Message, int Bytes)>();
        try
        {
            while (_queue.TryDequeueBatch(batch, MaxBatchBytes))
            {
                var (message, buffer) = batch.Count == 1 ? (batch[0].Message, null) : Concatenate(batch);
                try
                {
                    var write = _connection.WriteAsync(message, aborted);
                    if (!write.IsCompletedSuccessfully)
                    {
                        // Only a write the pipe could not take at once arms a timer: the common case costs none.
                        using var timer = _time.CreateTimer(static state => ((ConnectionWriter)state!).Close(SlowConnectionReason.WriteTimeout),
                            this, _writeTimeout, Timeout.InfiniteTimeSpan);
                        await write.ConfigureAwait(false);
                    }
                }
                finally
                {
                    // The pipe copied the bytes by the time the write completed.
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The connection is gone; SignalR's own write failures abort it too (HubConnectionContext logs them).
            _queue.Close();
        }
        catch (Exception)
        {
            // HubConnectionContext.WriteAsync is documented not to throw; should it, the writer must not stop silently
            // with its queue marked as drained: close the connection, the client resumes from its queue.
            Close(SlowConnectionReason.WriteFailed);
        }
    }

    // The batch's messages, serialized for this connection's protocol, end to end in one rented buffer.
    private (SerializedHubMessage Message, byte[] Buffer) Concatenate(List<(SerializedHubMessage Message, int Bytes)> batch)
    {
        var protocol = _connection.Protocol;
        var total = 0;
        foreach (var (_, bytes) in batch)
        {
            total += bytes;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        var offset = 0;
        foreach (var (message, _) in batch)
        {
            var serialized = message.GetSerializedMessage(protocol);
            serialized.Span.CopyTo(buffer.AsSpan(offset));
            offset += serialized.Length;
        }
        return (new SerializedHubMessage([new SerializedMessage(protocol.Name, buffer.AsMemory(0, offset))]), buffer);
    }
}
