namespace Hub.Tests.Client;

/// <summary>Collects event arguments and lets a test await a count of them, with a timeout instead of sleeping.</summary>
public sealed class EventCollector<T>
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Everything collected so far, in order.</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Records one event; usable directly as an event handler.</summary>
    public void Add(T item)
    {
        List<TaskCompletionSource> ready = [];
        lock (_lock)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => _items.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                ready.Add(waiter.Done);
            }
        }

        ready.ForEach(done => done.TrySetResult());
    }

    /// <summary>Waits until at least <paramref name="count"/> events were collected (10 s at most) and returns them.</summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_items.Count >= count)
            {
                return [.. _items];
            }

            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Expected {count} events of {typeof(T).Name}, got {Items.Count}.");
        }

        return Items;
    }
}
