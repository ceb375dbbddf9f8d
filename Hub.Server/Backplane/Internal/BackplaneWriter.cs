using System.Buffers;
using System.Text;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// Appends the primitives of the backplane wire format to a growable buffer: single bytes, unsigned LEB128
/// variable-length integers (7 bits a byte, low bits first, high bit set on every byte but the last, the same
/// encoding as <see cref="BinaryWriter.Write7BitEncodedInt64"/>), strings as a varint UTF-8 byte count followed by
/// the bytes, and byte blocks as a varint length followed by the bytes.
/// </summary>
internal sealed class BackplaneWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Creates a writer; <paramref name="initialCapacity"/> avoids regrowing for typical messages.</summary>
    public BackplaneWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>Everything written so far. Valid until the writer is written to again.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory;

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteVarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[count++] = (byte)value;
        _buffer.Advance(count);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)length);
        var written = Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(written);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }
}
