namespace Hub.Client;

/// <summary>
/// The most recent ids seen, bounded: the oldest is forgotten when a new one exceeds the capacity. An id can be
/// forgotten early (<see cref="Remove"/>: its handling was interrupted, so its redelivery must be raised again), and the
/// set can be exported and seeded, so an application can carry de-duplication across a process restart.
/// </summary>
internal sealed class RecentIdSet
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<string>> _ids = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

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
            if (_ids.ContainsKey(id))
            {
                return false;
            }

            _ids.Add(id, _order.AddLast(id));
            if (_order.Count > _capacity)
            {
                _ids.Remove(_order.First!.Value);
                _order.RemoveFirst();
            }

            return true;
        }
    }

    /// <summary>Forgets <paramref name="id"/>, so that it counts as new when it arrives again.</summary>
    public void Remove(string id)
    {
        lock (_ids)
        {
            if (_ids.Remove(id, out var node))
            {
                _order.Remove(node);
            }
        }
    }

    /// <summary>The ids remembered now, oldest first.</summary>
    public string[] ToArray()
    {
        lock (_ids)
        {
            return [.. _order];
        }
    }
}
