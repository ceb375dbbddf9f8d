namespace Hub.Bench.Measurement;

/// <summary>
/// A growable set of non-negative message numbers: one bit each, so a receiver can remember every message of a long
/// run and tell a duplicate from a first delivery without a hash set per receiver. Not thread-safe: each receiver's
/// events arrive on its own connection's single dispatch loop.
/// </summary>
public sealed class BitSet
{
    private ulong[] _words = new ulong[16];

    /// <summary>How many distinct numbers are in the set.</summary>
    public long Count { get; private set; }

    /// <summary>Adds <paramref name="n"/>; <c>false</c> when it was already there.</summary>
    public bool Add(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var word = (int)(n >> 6);
        if (word >= _words.Length)
        {
            Array.Resize(ref _words, Math.Max(word + 1, _words.Length * 2));
        }

        var mask = 1UL << (int)(n & 63);
        if ((_words[word] & mask) != 0)
        {
            return false;
        }

        _words[word] |= mask;
        Count++;
        return true;
    }

    /// <summary>Whether <paramref name="n"/> is in the set.</summary>
    public bool Contains(long n)
    {
        var word = (int)(n >> 6);
        return n >= 0 && word < _words.Length && (_words[word] & (1UL << (int)(n & 63))) != 0;
    }
}
