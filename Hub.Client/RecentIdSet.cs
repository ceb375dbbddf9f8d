namespace Hub.Client;

/// <summary>The most recent ids seen, bounded: the oldest is forgotten when a new one exceeds the capacity.</summary>
internal sealed class RecentIdSet
{
    private readonly int _capacity;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public RecentIdSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Adds <paramref name="id"/>; <c>false</c> when it is already among the recent ids.</summary>
    public bool Add(string id)
    {
        lock (_ids)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > _capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
