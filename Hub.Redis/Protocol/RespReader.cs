using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Hub.Redis.Protocol;

/// <summary>
/// Decodes RESP2 replies from a <see cref="ReadOnlySequence{T}"/> (what a
/// <see cref="System.IO.Pipelines.PipeReader"/> hands out). It knows nothing about sockets, so it can be
/// tested on raw bytes. For each reply it either returns it (copied out, owning its memory), reports
/// "need more data", or throws <see cref="RedisProtocolException"/>; it never allocates more than the bytes
/// actually received justify, because declared lengths and depth are capped and a reply is only
/// materialised once all its bytes are present.
/// </summary>
public static class RespReader
{
    /// <summary>Largest accepted bulk string, as Redis's own <c>proto-max-bulk-len</c> default (512 MB).</summary>
    public const long MaxBulkLength = 512L * 1024 * 1024;

    /// <summary>Largest accepted array length.</summary>
    public const long MaxArrayLength = 64L * 1024 * 1024;

    /// <summary>Deepest accepted array nesting (Redis replies rarely nest more than a few levels).</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest accepted simple string or error line, so input without CRLF cannot buffer forever.</summary>
    public const int MaxLineLength = 1024 * 1024;

    // "-9223372036854775808" is 20 bytes; anything longer is not a valid length or integer.
    private const int MaxNumberLength = 20;

    /// <summary>
    /// Tries to decode one complete reply from the start of <paramref name="buffer"/>. On success the buffer is
    /// sliced past the reply; when the reply is incomplete the buffer is unchanged and false is returned.
    /// </summary>
    /// <param name="buffer">The received bytes; advanced past the reply on success.</param>
    /// <param name="result">The reply, when one was complete.</param>
    /// <returns>True when a reply was decoded; false when more data is needed.</returns>
    /// <exception cref="RedisProtocolException">The bytes are not valid RESP2 or exceed a limit.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out RedisResult? result)
    {
        // Pass 1 only validates and finds the end, allocating nothing, so a huge declared array that has
        // not arrived yet costs no memory. Pass 2 then builds the reply from bytes known to be complete.
        var scanner = new SequenceReader<byte>(buffer);
        if (!TryParse(ref scanner, 0, materialize: false, out _))
        {
            result = null;
            return false;
        }

        var end = scanner.Position;
        var parser = new SequenceReader<byte>(buffer.Slice(0, end));
        TryParse(ref parser, 0, materialize: true, out result);
        buffer = buffer.Slice(end);
        return result is not null;
    }

    /// <summary>Decodes one complete reply from a byte array (convenience for tests and tools).</summary>
    /// <param name="bytes">Exactly one reply.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="RedisProtocolException">The bytes are invalid, incomplete, or followed by extra bytes.</exception>
    public static RedisResult Read(ReadOnlyMemory<byte> bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        if (!TryRead(ref buffer, out var result))
        {
            throw new RedisProtocolException("The reply is incomplete.");
        }

        return buffer.IsEmpty ? result : throw new RedisProtocolException("Unexpected bytes after the reply.");
    }

    private static bool TryParse(ref SequenceReader<byte> reader, int depth, bool materialize, out RedisResult? result)
    {
        result = null;
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        switch (type)
        {
            // +<text>\r\n    e.g. +OK\r\n
            case (byte)'+':
            {
                if (!TryReadLine(ref reader, MaxLineLength, out var line))
                {
                    return false;
                }

                if (materialize)
                {
                    result = line.Length == 2 && line.FirstSpan.Length == 2 && line.FirstSpan.SequenceEqual("OK"u8)
                        ? RedisResult.Ok
                        : RedisResult.SimpleString(line.ToArray());
                }

                return true;
            }

            // -<code> <message>\r\n    e.g. -ERR unknown command 'FOO'\r\n
            case (byte)'-':
            {
                if (!TryReadLine(ref reader, MaxLineLength, out var line))
                {
                    return false;
                }

                if (materialize)
                {
                    result = RedisResult.Error(Encoding.UTF8.GetString(line));
                }

                return true;
            }

            // :<decimal>\r\n    e.g. :42\r\n, :-1\r\n
            case (byte)':':
            {
                if (!TryReadNumber(ref reader, out var value))
                {
                    return false;
                }

                if (materialize)
                {
                    result = RedisResult.Integer(value);
                }

                return true;
            }

            // $<length>\r\n<bytes>\r\n    e.g. $5\r\nhello\r\n; null: $-1\r\n
            case (byte)'$':
            {
                if (!TryReadNumber(ref reader, out var length))
                {
                    return false;
                }

                if (length == -1)
                {
                    result = RedisResult.NullBulkString;
                    return true;
                }

                if (length < -1 || length > MaxBulkLength)
                {
                    throw new RedisProtocolException($"Invalid bulk string length {length}.");
                }

                if (reader.Remaining < length + 2)
                {
                    return false;
                }

                if (materialize)
                {
                    var data = new byte[length];
                    reader.UnreadSequence.Slice(0, length).CopyTo(data);
                    result = RedisResult.BulkString(data);
                }

                reader.Advance(length);
                if (!reader.IsNext("\r\n"u8, advancePast: true))
                {
                    throw new RedisProtocolException("A bulk string is not followed by CRLF.");
                }

                return true;
            }

            // *<count>\r\n<element>...    e.g. *2\r\n$1\r\na\r\n:1\r\n; null: *-1\r\n
            case (byte)'*':
            {
                if (!TryReadNumber(ref reader, out var count))
                {
                    return false;
                }

                if (count == -1)
                {
                    result = RedisResult.NullArray;
                    return true;
                }

                if (count < -1 || count > MaxArrayLength)
                {
                    throw new RedisProtocolException($"Invalid array length {count}.");
                }

                if (depth >= MaxDepth)
                {
                    throw new RedisProtocolException($"Arrays nested deeper than {MaxDepth} levels.");
                }

                // Only allocated in pass 2, when every element is known to be present.
                var items = materialize ? new RedisResult[count] : null;
                for (var i = 0; i < count; i++)
                {
                    if (!TryParse(ref reader, depth + 1, materialize, out var item))
                    {
                        return false;
                    }

                    if (items is not null)
                    {
                        items[i] = item!;
                    }
                }

                if (materialize)
                {
                    result = RedisResult.Array(items);
                }

                return true;
            }

            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{type:X2}.");
        }
    }

    // Reads up to CRLF. Fails fast when the line is already longer than allowed, so a peer that never sends
    // CRLF cannot make us buffer without bound.
    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> line)
    {
        if (reader.TryReadTo(out line, "\r\n"u8, advancePastDelimiter: true))
        {
            return line.Length <= maxLength
                ? true
                : throw new RedisProtocolException($"A RESP line is longer than {maxLength} bytes.");
        }

        if (reader.Remaining > maxLength + 1)
        {
            throw new RedisProtocolException($"A RESP line is longer than {maxLength} bytes.");
        }

        return false;
    }

    // <optional '-'><digits>\r\n, strictly: no '+', no spaces, no empty value, no overflow.
    private static bool TryReadNumber(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!TryReadLine(ref reader, MaxNumberLength, out var line))
        {
            return false;
        }

        Span<byte> digits = stackalloc byte[MaxNumberLength];
        line.CopyTo(digits);
        digits = digits[..(int)line.Length];
        var negative = digits.Length > 0 && digits[0] == (byte)'-';
        if (negative)
        {
            digits = digits[1..];
        }

        if (digits.Length == 0)
        {
            throw new RedisProtocolException("Empty RESP number.");
        }

        ulong magnitude = 0;
        foreach (var digit in digits)
        {
            var d = (uint)(digit - '0');
            if (d > 9)
            {
                throw new RedisProtocolException("Invalid character in a RESP number.");
            }

            // Checked before multiplying so the ulong itself cannot wrap around.
            if (magnitude > (ulong.MaxValue - 9) / 10)
            {
                throw new RedisProtocolException("RESP number out of range.");
            }

            magnitude = (magnitude * 10) + d;
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                throw new RedisProtocolException("RESP number out of range.");
            }
        }

        if (!negative && magnitude > long.MaxValue)
        {
            throw new RedisProtocolException("RESP number out of range.");
        }

        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }
}
