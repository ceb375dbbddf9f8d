namespace Hub.Server.Storage.Redis;

/// <summary>
/// Runs calls on a partition a batch at a time (a group commit): a call made while the partition's previous batch is
/// running waits for it, then goes with every call made meanwhile as one script. Idle, a call goes at once; under load
/// batches grow with the load, so Redis runs one script (one round trip, one script start) for many calls instead of
/// one each, and the node makes one round trip for them. Within a partition the batches run one at a time and the
/// calls in the order they were made, which is what the scripts would have seen one after another.
/// </summary>
/// <typeparam name="TKey">What a batch shares (a namespace's partition: one script routed to one slot).</typeparam>
/// <typeparam name="TItem">One call.</typeparam>
/// <typeparam name="TResult">Its answer.</typeparam>
/// <param name="run">Runs a batch of one key; returns one answer per call, in order. It is not cancelled: a
/// caller that stops waiting does not take the others' calls with it.</param>
/// <param name="maxBatch">Most calls in one batch (bounds a script's arguments and how long it holds Redis).</param>
internal sealed class RedisGroupCommit<TKey, TItem, TResult>(Func<TKey, IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> run, int maxBatch)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, List<(TItem Item, TaskCompletionSource<TResult> Done)>> _waiting = [];

    /// <summary>Runs <paramref name="item"/> in the next batch of <paramref name="key"/>.</summary>
    public Task<TResult> RunAsync(TKey key, TItem item, CancellationToken cancellationToken = default)
    {
        // Asynchronous continuations: the callers' work after the call does not hold up the next batch.
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            start = !_waiting.TryGetValue(key, out var waiting);
            if (start)
            {
                _waiting[key] = waiting = [];
            }
            waiting!.Add((item, done));
        }
        if (start)
        {
            _ = RunBatchesAsync(key);
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    // Runs the key's batches until none waits. The key's entry exists exactly while this runs.
    private async Task RunBatchesAsync(TKey key)
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_gate)
            {
                var waiting = _waiting[key];
                if (waiting.Count == 0)
                {
                    _waiting.Remove(key);
                    return;
                }
                var count = Math.Min(waiting.Count, maxBatch);
                batch = waiting.GetRange(0, count);
                waiting.RemoveRange(0, count);
            }
            try
            {
                var results = await run(key, [.. batch.Select(b => b.Item)]).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }
}
