namespace Hub.Tests.Backplane;

/// <summary>
/// The messages one client received, in order. Tests await a message with a timeout instead of sleeping; "nothing
/// arrived" is checked by awaiting a later marker sent along the same path and looking at what came before it.
/// </summary>
public sealed class MessageLog
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<string> _items = [];
    private readonly List<(string Text, TaskCompletionSource<IReadOnlyList<string>> Arrived)> _waiters = [];

    /// <summary>Everything received so far.</summary>
    public IReadOnlyList<string> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Records a message (the client's handler).</summary>
    public void Add(string text)
    {
        List<TaskCompletionSource<IReadOnlyList<string>>> arrived = [];
        IReadOnlyList<string> snapshot;
        lock (_lock)
        {
            _items.Add(text);
            snapshot = [.. _items];
            foreach (var waiter in _waiters.Where(w => w.Text == text).ToList())
            {
                _waiters.Remove(waiter);
                arrived.Add(waiter.Arrived);
            }
        }

        arrived.ForEach(tcs => tcs.TrySetResult(snapshot));
    }

    /// <summary>Waits (10 s at most) for <paramref name="text"/>; returns everything received up to and including it.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(string text)
    {
        var arrived = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var index = _items.IndexOf(text);
            if (index >= 0)
            {
                return _items[..(index + 1)];
            }

            _waiters.Add((text, arrived));
        }

        try
        {
            return await arrived.Task.WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' did not arrive within {Wait}; received: [{string.Join(", ", Items)}].");
        }
    }
}
