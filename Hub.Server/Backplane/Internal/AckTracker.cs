using System.Collections.Concurrent;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// Group commands sent by this node that wait for the owning node's ack. The waiting (with its timeout) is the
/// caller's: this only matches acks to waiters, so nothing here needs a timer.
/// </summary>
internal sealed class AckTracker
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pending = new();
    private long _lastId;

    /// <summary>Number of commands waiting for an ack (diagnostics and tests).</summary>
    public int Count => _pending.Count;

    /// <summary>Registers a new command; <c>Acked</c> completes when its ack arrives.</summary>
    public (long Id, Task Acked) Create()
    {
        var id = Interlocked.Increment(ref _lastId);
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = acked;
        return (id, acked.Task);
    }

    /// <summary>An ack arrived. Unknown ids (already timed out) are ignored.</summary>
    public void Complete(long id)
    {
        if (_pending.TryRemove(id, out var acked))
        {
            acked.TrySetResult();
        }
    }

    /// <summary>Stops waiting for <paramref name="id"/> (timed out, cancelled or failed to send).</summary>
    public void Remove(long id) => _pending.TryRemove(id, out _);

    /// <summary>Ends every wait with <see cref="ObjectDisposedException"/> (the node is shutting down).</summary>
    public void CancelAll()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var acked))
            {
                acked.TrySetException(new ObjectDisposedException(nameof(AckTracker), "The backplane is shutting down."));
            }
        }
    }
}
