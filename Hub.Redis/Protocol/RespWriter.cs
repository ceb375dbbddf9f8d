using System.Buffers;
using System.Globalization;
using System.Text;

namespace Hub.Redis.Protocol;

/// <summary>
/// Encodes RESP2 into any <see cref="IBufferWriter{T}"/> (a <see cref="System.IO.Pipelines.PipeWriter"/> in the
/// client), writing straight into the writer's memory with no intermediate buffers. It knows nothing about
/// sockets, so it can be tested on bytes alone. Commands are arrays of bulk strings; the other encoders exist
/// for tests and fake servers.
/// </summary>
public static class RespWriter
{
    // Longest header: type byte + "-9223372036854775808" + CRLF.
    private const int MaxHeaderLength = 1 + 20 + 2;

    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Writes a command as an array of bulk strings: the name, then each argument.</summary>
    /// <remarks>
    /// Wire format, e.g. <c>SET k 1</c>:
    /// <code>*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n</code>
    /// </remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="command">The command name.</param>
    /// <param name="arguments">The arguments.</param>
    public static void WriteCommand(IBufferWriter<byte> writer, string command, IReadOnlyList<RedisValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        WriteArrayHeader(writer, arguments.Count + 1);
        WriteBulkString(writer, command);
        for (var i = 0; i < arguments.Count; i++)
        {
            WriteBulkString(writer, arguments[i]);
        }
    }

    /// <summary>Writes an array header; the caller then writes <paramref name="count"/> elements.</summary>
    /// <remarks>Wire format: <c>*&lt;count&gt;\r\n</c>, e.g. <c>*2\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="count">The number of elements.</param>
    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WritePrefixedNumber(writer, (byte)'*', count);
    }

    /// <summary>Writes the null array.</summary>
    /// <remarks>Wire format: <c>*-1\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    public static void WriteNullArray(IBufferWriter<byte> writer) => WriteRaw(writer, "*-1\r\n"u8);

    /// <summary>Writes an argument as a bulk string, encoded by its kind (a null value is an empty string).</summary>
    /// <remarks>
    /// Wire format: <c>$&lt;length&gt;\r\n&lt;bytes&gt;\r\n</c>. Strings are UTF-8, integers decimal
    /// (<c>$2\r\n42\r\n</c>), doubles shortest round-trip (<c>$3\r\n1.5\r\n</c>, <c>$3\r\ninf\r\n</c>).
    /// </remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The argument.</param>
    public static void WriteBulkString(IBufferWriter<byte> writer, RedisValue value)
    {
        switch (value.Kind)
        {
            case RedisValueKind.String:
                WriteBulkString(writer, value.AsStringValue());
                break;
            case RedisValueKind.Int64:
                WriteBulkString(writer, value.AsInt64Value());
                break;
            case RedisValueKind.Double:
                WriteBulkString(writer, value.AsDoubleValue());
                break;
            case RedisValueKind.Bytes:
                WriteBulkString(writer, value.AsBytesValue().Span);
                break;
            default:
                WriteRaw(writer, "$0\r\n\r\n"u8);
                break;
        }
    }

    /// <summary>Writes bytes as a bulk string, copied once, straight into the writer.</summary>
    /// <remarks>Wire format: <c>$&lt;length&gt;\r\n&lt;bytes&gt;\r\n</c>, e.g. <c>$5\r\nhello\r\n</c>; empty is <c>$0\r\n\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The payload.</param>
    public static void WriteBulkString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        WritePrefixedNumber(writer, (byte)'$', value.Length);
        writer.Write(value);
        WriteRaw(writer, Crlf);
    }

    /// <summary>Writes a string as a UTF-8 bulk string, encoding straight into the writer.</summary>
    /// <remarks>Wire format: <c>$&lt;utf8 length&gt;\r\n&lt;utf8 bytes&gt;\r\n</c>, e.g. <c>$3\r\nGET\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The text.</param>
    public static void WriteBulkString(IBufferWriter<byte> writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WritePrefixedNumber(writer, (byte)'$', Encoding.UTF8.GetByteCount(value));
        Encoding.UTF8.GetBytes(value.AsSpan(), writer);
        WriteRaw(writer, Crlf);
    }

    /// <summary>Writes an integer as a decimal bulk string (Redis commands take numbers as strings).</summary>
    /// <remarks>Wire format: <c>$&lt;digits&gt;\r\n&lt;decimal&gt;\r\n</c>, e.g. <c>$3\r\n-12\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The integer.</param>
    public static void WriteBulkString(IBufferWriter<byte> writer, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        WriteBulkString(writer, digits[..length]);
    }

    /// <summary>Writes a double as a bulk string in shortest round-trip form; infinities as Redis spells them.</summary>
    /// <remarks>Wire format: <c>$&lt;length&gt;\r\n&lt;number&gt;\r\n</c>, e.g. <c>$4\r\n0.25\r\n</c>, <c>$4\r\n-inf\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The double.</param>
    public static void WriteBulkString(IBufferWriter<byte> writer, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            WriteBulkString(writer, "inf"u8);
            return;
        }

        if (double.IsNegativeInfinity(value))
        {
            WriteBulkString(writer, "-inf"u8);
            return;
        }

        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        WriteBulkString(writer, text[..length]);
    }

    /// <summary>Writes the null bulk string.</summary>
    /// <remarks>Wire format: <c>$-1\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    public static void WriteNullBulkString(IBufferWriter<byte> writer) => WriteRaw(writer, "$-1\r\n"u8);

    /// <summary>Writes a simple string (must not contain CR or LF).</summary>
    /// <remarks>Wire format: <c>+&lt;text&gt;\r\n</c>, e.g. <c>+OK\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The text.</param>
    public static void WriteSimpleString(IBufferWriter<byte> writer, string value) => WriteLine(writer, (byte)'+', value);

    /// <summary>Writes an error (must not contain CR or LF).</summary>
    /// <remarks>Wire format: <c>-&lt;text&gt;\r\n</c>, e.g. <c>-ERR unknown command\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="message">The error text, starting with its code (e.g. <c>ERR</c>).</param>
    public static void WriteError(IBufferWriter<byte> writer, string message) => WriteLine(writer, (byte)'-', message);

    /// <summary>Writes an integer reply.</summary>
    /// <remarks>Wire format: <c>:&lt;decimal&gt;\r\n</c>, e.g. <c>:1000\r\n</c>, <c>:-1\r\n</c>.</remarks>
    /// <param name="writer">Where to write.</param>
    /// <param name="value">The integer.</param>
    public static void WriteInteger(IBufferWriter<byte> writer, long value) => WritePrefixedNumber(writer, (byte)':', value);

    // <prefix><decimal>\r\n — the shared shape of array headers, bulk headers and integers.
    private static void WritePrefixedNumber(IBufferWriter<byte> writer, byte prefix, long value)
    {
        var span = writer.GetSpan(MaxHeaderLength);
        span[0] = prefix;
        value.TryFormat(span[1..], out var digits, default, CultureInfo.InvariantCulture);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        writer.Advance(3 + digits);
    }

    // <prefix><text>\r\n — simple strings and errors.
    private static void WriteLine(IBufferWriter<byte> writer, byte prefix, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A RESP simple string or error must not contain CR or LF.", nameof(value));
        }

        WriteRaw(writer, [prefix]);
        Encoding.UTF8.GetBytes(value.AsSpan(), writer);
        WriteRaw(writer, Crlf);
    }

    private static void WriteRaw(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes) => writer.Write(bytes);
}
