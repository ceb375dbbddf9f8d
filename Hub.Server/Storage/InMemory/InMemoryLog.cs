using Hub.Contracts;
using Hub.Server.Delivery;

namespace Hub.Server.Storage.InMemory;

/// <summary>
/// One scope's log (a room's, a conversation's, a user's stream): entries in position order, bounded in length from
/// the head, read past a position by binary search. What a Redis stream is to the Redis store.
/// </summary>
internal sealed class InMemoryLog
{
    // A list with a moving head: trimming is O(1), and the list is compacted once the dead head outgrows the live part.
    private readonly List<(MessageId Position, Envelope Envelope)> _entries = [];
    private int _head;

    /// <summary>The last position handed out (kept when its entry is trimmed), <c>0-0</c> before the first.</summary>
    public MessageId Last { get; private set; }

    /// <summary>Entries kept.</summary>
    public int Count => _entries.Count - _head;

    /// <summary>
    /// Takes the next position: the counter grows by one; the time never goes below the last one, so positions grow
    /// even if the clock steps back.
    /// </summary>
    public MessageId Next(DateTimeOffset now) =>
        Last = new MessageId(Math.Max(now.ToUnixTimeMilliseconds(), Last.Milliseconds), Last.Counter + 1);

    /// <summary>
    /// Takes the next position of an edit entry (<see cref="MessageEdit"/>): the counter stays (edits are not numbered
    /// as messages), the time moves past the last one, so positions still grow.
    /// </summary>
    public MessageId NextUnnumbered(DateTimeOffset now) =>
        Last = new MessageId(Math.Max(now.ToUnixTimeMilliseconds(), Last.Milliseconds + 1), Last.Counter);

    /// <summary>The entry kept at <paramref name="position"/>, or <c>null</c>.</summary>
    public Envelope? Find(MessageId position)
    {
        var i = FirstAtOrAfter(position);
        return i < _entries.Count && _entries[i].Position == position ? _entries[i].Envelope : null;
    }

    /// <summary>Replaces the entry kept at <paramref name="position"/> (a message's latest state after an edit).</summary>
    public void Replace(MessageId position, Envelope envelope)
    {
        var i = FirstAtOrAfter(position);
        if (i < _entries.Count && _entries[i].Position == position)
        {
            _entries[i] = (position, envelope);
        }
    }

    /// <summary>Appends the entry at <paramref name="position"/> (from <see cref="Next"/>) and trims to <paramref name="maxLength"/>.</summary>
    public void Add(MessageId position, Envelope envelope, int maxLength)
    {
        _entries.Add((position, envelope));
        while (Count > maxLength)
        {
            _entries[_head++] = default;
        }
        if (_head > 1024 && _head > Count)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>
    /// At most <paramref name="count"/> entries past <paramref name="after"/> and not older than <paramref name="oldest"/>,
    /// oldest first; with how many entries past <paramref name="after"/> are gone when it was an acknowledged cursor.
    /// </summary>
    public (List<Envelope> Page, long Dropped, bool More) Read(MessageId after, bool acknowledged, MessageId oldest, int count)
    {
        var from = after > oldest ? after : oldest;
        var i = FirstAfter(from);
        var page = new List<Envelope>(Math.Min(count, _entries.Count - i));
        for (; i < _entries.Count && page.Count < count; i++)
        {
            page.Add(_entries[i].Envelope);
        }
        long dropped = 0;
        if (acknowledged && after.Counter < Last.Counter)
        {
            // Counters are consecutive in a log, so what lies between the cursor and the first entry kept is gone. An edit
            // entry shares the counter of the message before it: when it is the first kept, that message is gone too.
            var firstKept = page.Count > 0 ? PositionOf(page[0]) + (page[0].TargetId is null ? 0 : 1) : Last.Counter + 1;
            dropped = Math.Max(0, firstKept - after.Counter - 1);
        }
        return (page, dropped, i < _entries.Count);
    }

    /// <summary>
    /// At most <paramref name="limit"/> messages before <paramref name="before"/> (the newest when null), newest last;
    /// edit entries are skipped (the messages they changed show their effect).
    /// </summary>
    public List<Envelope> Before(MessageId? before, int limit)
    {
        var end = before is { } b ? FirstAtOrAfter(b) : _entries.Count;
        var page = new List<Envelope>(Math.Min(limit, end - _head));
        for (var i = end - 1; i >= _head && page.Count < limit; i--)
        {
            if (_entries[i].Envelope.TargetId is null)
            {
                page.Add(_entries[i].Envelope);
            }
        }
        page.Reverse();
        return page;
    }

    private static long PositionOf(Envelope envelope) => MessageRef.TryParse(envelope.Id, out var at) ? at.Position.Counter : 0;

    private int FirstAfter(MessageId position)
    {
        var i = FirstAtOrAfter(position);
        return i < _entries.Count && _entries[i].Position == position ? i + 1 : i;
    }

    private int FirstAtOrAfter(MessageId position)
    {
        int lo = _head, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].Position < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
