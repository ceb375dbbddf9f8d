using Hub.Server.Delivery;

namespace Hub.Server.Storage.InMemory;

/// <summary>
/// The idempotency keys of one namespace's recent sends, by sender and key, with the first append's result.
/// Entries expire after the window (by the injected clock): every append first removes the expired ones from the
/// front of a queue kept in recording order, so memory stays bounded by the keyed sends of one window.
/// Only touched while holding the namespace's gate.
/// </summary>
internal sealed class InMemorySendKeys
{
    private readonly Dictionary<(string From, string Key), Entry> _entries = [];
    private readonly Queue<(string From, string Key, DateTimeOffset At)> _order = new();

    /// <summary>How many keys are remembered.</summary>
    public int Count => _entries.Count;

    /// <summary>The result recorded for this sender and key within the window before <paramref name="now"/>, if any.</summary>
    public bool TryGet(string from, string key, DateTimeOffset now, TimeSpan window, out string fingerprint, out AppendResult result)
    {
        Expire(now, window);
        if (_entries.TryGetValue((from, key), out var entry) && entry.At + window > now)
        {
            (fingerprint, result) = (entry.Fingerprint, entry.Result);
            return true;
        }
        (fingerprint, result) = ("", null!);
        return false;
    }

    /// <summary>Remembers the result of a keyed append.</summary>
    public void Add(string from, string key, string fingerprint, AppendResult result, DateTimeOffset now)
    {
        _entries[(from, key)] = new Entry(fingerprint, result, now);
        _order.Enqueue((from, key, now));
    }

    /// <summary>
    /// Forgets the keys recorded a window or more before <paramref name="now"/>; amortized O(1) per recorded key.
    /// Recording order is time order unless the clock stepped back; then an entry may linger until those before it
    /// expire, which only delays its removal.
    /// </summary>
    public void Expire(DateTimeOffset now, TimeSpan window)
    {
        if (_order.Count == 0)
        {
            return;
        }
        while (_order.TryPeek(out var head) && head.At + window <= now)
        {
            _order.Dequeue();
            // The key may have been recorded again after it expired: only the entry of this recording goes.
            if (_entries.TryGetValue((head.From, head.Key), out var entry) && entry.At == head.At)
            {
                _entries.Remove((head.From, head.Key));
            }
        }
    }

    private sealed record Entry(string Fingerprint, AppendResult Result, DateTimeOffset At);
}
