using System.Collections.Concurrent;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// A node's memory of facts read from Redis that stay true while its data lives (a user is known to a namespace, a
/// conversation is registered with both parties), so the common direct message is one script instead of three calls.
/// Bounded: emptied when full (<see cref="RedisOptions.NodeCacheSize"/>) rather than tracking use, since a miss only
/// costs a read; emptied too when Redis loses its data, where the facts stop being true.
/// </summary>
internal sealed class RedisFactCache(int capacity)
{
    private readonly ConcurrentDictionary<string, byte> _facts = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="fact"/> was recorded.</summary>
    public bool Contains(string fact) => _facts.ContainsKey(fact);

    /// <summary>Records <paramref name="fact"/>.</summary>
    public void Add(string fact)
    {
        if (_facts.Count >= capacity)
        {
            _facts.Clear();
        }
        _facts.TryAdd(fact, 0);
    }

    /// <summary>Forgets every fact.</summary>
    public void Clear() => _facts.Clear();
}
