using System.Text;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// Reads the primitives written by <see cref="BackplaneWriter"/> from one received payload. Byte blocks are returned
/// as slices of the payload, not copies: the Redis client hands every message its own private copy, so a slice may
/// be kept after the handler returns. Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct BackplaneReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private int _position;

    public BackplaneReader(ReadOnlyMemory<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>True once every byte was read (a decoder checks it to reject trailing garbage).</summary>
    public readonly bool End => _position == _data.Length;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated();
        }

        return _data.Span[_position++];
    }

    public ulong ReadVarUInt()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var next = ReadByte();
            result |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("A backplane varint is longer than 64 bits.");
    }

    /// <summary>Reads a count or length, bounded by what is left so a corrupt length cannot make us allocate wildly.</summary>
    public int ReadLength()
    {
        var value = ReadVarUInt();
        if (value > (ulong)(_data.Length - _position))
        {
            throw Truncated();
        }

        return (int)value;
    }

    public string ReadString()
    {
        var length = ReadLength();
        var text = Encoding.UTF8.GetString(_data.Span.Slice(_position, length));
        _position += length;
        return text;
    }

    public ReadOnlyMemory<byte> ReadBytes()
    {
        var length = ReadLength();
        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    private static InvalidDataException Truncated() => new("A backplane message ended early.");
}
