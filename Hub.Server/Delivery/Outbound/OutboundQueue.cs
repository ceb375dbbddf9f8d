namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// The bounded FIFO between the dispatcher and one connection's writer: at most <c>maxMessages</c> items and
/// <c>maxBytes</c> bytes wait. An item that does not fit is refused (<see cref="TryEnqueue"/>), or waited for
/// (<see cref="EnqueueAsync"/>, for the backlog, which is read at the pace the connection drains). It also tracks
/// whether someone drains it, so the writer runs only while there is something to write (an idle connection costs no
/// task). Thread-safe.
/// </summary>
/// <typeparam name="T">The queued item.</typeparam>
internal sealed class OutboundQueue<T>
{
    private readonly Lock _gate = new();
    private readonly Queue<(T Item, int Bytes)> _items = new();
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private long _bytes;
    private bool _draining;
    private bool _closed;
    private TaskCompletionSource? _space;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="maxMessages">Most items waiting.</param>
    /// <param name="maxBytes">Most bytes waiting; a single item larger than this is still taken when the queue is empty.</param>
    public OutboundQueue(int maxMessages, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
    }

    /// <summary>Items waiting.</summary>
    public int Count { get { lock (_gate) { return _items.Count; } } }

    /// <summary>Bytes waiting.</summary>
    public long Bytes { get { lock (_gate) { return _bytes; } } }

    /// <summary>
    /// Adds <paramref name="item"/> if it fits. <see cref="EnqueueResult.StartDraining"/> means nobody drains the
    /// queue: the caller must start the writer, which calls <see cref="TryDequeueBatch"/> until it returns false.
    /// </summary>
    public EnqueueResult TryEnqueue(T item, int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueResult.Closed;
            }
            if (!Fits(bytes))
            {
                return EnqueueResult.Full;
            }
            _items.Enqueue((item, bytes));
            _bytes += bytes;
            if (_draining)
            {
                return EnqueueResult.Queued;
            }
            _draining = true;
            return EnqueueResult.StartDraining;
        }
    }

    /// <summary>
    /// Adds <paramref name="item"/>, waiting for room when the queue is full. Never returns
    /// <see cref="EnqueueResult.Full"/>.
    /// </summary>
    public async ValueTask<EnqueueResult> EnqueueAsync(T item, int bytes, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task space;
            lock (_gate)
            {
                if (_closed || Fits(bytes))
                {
                    space = Task.CompletedTask;
                }
                else
                {
                    _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    space = _space.Task;
                }
            }
            if (space.IsCompleted)
            {
                var result = TryEnqueue(item, bytes);
                if (result != EnqueueResult.Full)
                {
                    return result;
                }
                // Another producer took the room meanwhile: wait again.
                continue;
            }
            await space.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the oldest item and, behind it, more while they fit in <paramref name="maxBytes"/> together, into
    /// <paramref name="batch"/> (cleared first). When the queue is empty returns false and marks it as not drained, so the
    /// next <see cref="TryEnqueue"/> says to start the writer again.
    /// </summary>
    public bool TryDequeueBatch(List<(T Item, int Bytes)> batch, long maxBytes)
    {
        batch.Clear();
        TaskCompletionSource? space;
        lock (_gate)
        {
            if (_closed || !_items.TryDequeue(out var first))
            {
                _draining = false;
                return false;
            }
            batch.Add(first);
            var total = (long)first.Bytes;
            while (_items.TryPeek(out var next) && total + next.Bytes <= maxBytes)
            {
                batch.Add(_items.Dequeue());
                total += next.Bytes;
            }
            _bytes -= total;
            space = _space;
            _space = null;
        }
        space?.TrySetResult();
        return true;
    }

    /// <summary>Drops everything waiting and refuses what comes (<see cref="EnqueueResult.Closed"/>).</summary>
    public void Close()
    {
        TaskCompletionSource? space;
        lock (_gate)
        {
            _closed = true;
            _items.Clear();
            _bytes = 0;
            space = _space;
            _space = null;
        }
        space?.TrySetResult();
    }

    // An empty queue takes any single item, so a message larger than the byte bound still gets through on its own.
    private bool Fits(int bytes) => _items.Count == 0 || (_items.Count < _maxMessages && _bytes + bytes <= _maxBytes);
}
