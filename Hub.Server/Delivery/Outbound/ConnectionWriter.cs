using Microsoft.AspNetCore.SignalR;
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

    /// <summary>Whether the connection was closed for being slow.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The size of <paramref name="message"/> in this connection's protocol (serializing it once for that protocol).</summary>
    public int SizeOf(SerializedHubMessage message) => message.GetSerializedMessage(_connection.Protocol).Length;

    /// <summary>Queues a live message; when the queue is full, closes the connection instead (the message stays pending).</summary>
    /// <returns>False when the message was not queued.</returns>
    public bool TryWrite(SerializedHubMessage message)
    {
        switch (_queue.TryEnqueue(message, SizeOf(message)))
        {
            case EnqueueResult.StartDraining:
                _ = DrainAsync();
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
    // unless the client is behind), so a fast connection costs no thread hop, like SignalR's own sends.
    private async Task DrainAsync()
    {
        var aborted = _connection.ConnectionAborted;
        try
        {
            while (_queue.TryDequeue(out var message))
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
}
