using System.Globalization;
using System.Text;

namespace Hub.Redis;

/// <summary>
/// A reply from Redis. It owns its memory (it was copied out of the connection's receive buffer),
/// so it can be kept after the call returns. Instances are immutable.
/// </summary>
public sealed class RedisResult
{
    private static readonly RedisResult[] EmptyArray = [];

    private readonly byte[]? _bytes;
    private readonly string? _error;
    private readonly long _integer;
    private readonly RedisResult[]? _array;

    private RedisResult(RedisResultKind kind, byte[]? bytes, string? error, long integer, RedisResult[]? array, bool isNull)
    {
        Kind = kind;
        _bytes = bytes;
        _error = error;
        _integer = integer;
        _array = array;
        IsNull = isNull;
    }

    /// <summary>The null bulk string (<c>$-1\r\n</c>).</summary>
    public static RedisResult NullBulkString { get; } = new(RedisResultKind.BulkString, null, null, 0, null, isNull: true);

    /// <summary>The null array (<c>*-1\r\n</c>).</summary>
    public static RedisResult NullArray { get; } = new(RedisResultKind.Array, null, null, 0, null, isNull: true);

    /// <summary>The simple string <c>OK</c>, shared because it is the most common reply.</summary>
    public static RedisResult Ok { get; } = new(RedisResultKind.SimpleString, "OK"u8.ToArray(), null, 0, null, isNull: false);

    /// <summary>The RESP2 type of this reply.</summary>
    public RedisResultKind Kind { get; }

    /// <summary>True for the null bulk string and the null array.</summary>
    public bool IsNull { get; }

    /// <summary>True when the server replied with an error.</summary>
    public bool IsError => Kind == RedisResultKind.Error;

    /// <summary>The server's error text (e.g. <c>ERR unknown command</c>), or null when this is not an error.</summary>
    public string? ErrorMessage => _error;

    /// <summary>The number of elements of an array reply (0 for a null array).</summary>
    /// <exception cref="InvalidCastException">The reply is not an array.</exception>
    public int Count => Kind == RedisResultKind.Array ? (_array?.Length ?? 0) : throw CannotConvert("an array");

    /// <summary>An element of an array reply.</summary>
    /// <param name="index">The zero-based index.</param>
    /// <exception cref="InvalidCastException">The reply is not a non-null array.</exception>
    public RedisResult this[int index] => ArrayOrThrow()[index];

    /// <summary>Creates a simple string reply; the bytes are kept, not copied.</summary>
    /// <param name="value">The string's bytes.</param>
    public static RedisResult SimpleString(byte[] value) => new(RedisResultKind.SimpleString, value, null, 0, null, false);

    /// <summary>Creates an error reply.</summary>
    /// <param name="message">The server's error text.</param>
    public static RedisResult Error(string message) => new(RedisResultKind.Error, null, message, 0, null, false);

    /// <summary>Creates an integer reply.</summary>
    /// <param name="value">The integer.</param>
    public static RedisResult Integer(long value) => new(RedisResultKind.Integer, null, null, value, null, false);

    /// <summary>Creates a bulk string reply; the bytes are kept, not copied.</summary>
    /// <param name="value">The payload; null gives <see cref="NullBulkString"/>.</param>
    public static RedisResult BulkString(byte[]? value) =>
        value is null ? NullBulkString : new(RedisResultKind.BulkString, value, null, 0, null, false);

    /// <summary>Creates an array reply; the array is kept, not copied.</summary>
    /// <param name="elements">The elements; null gives <see cref="NullArray"/>.</param>
    public static RedisResult Array(RedisResult[]? elements) =>
        elements is null ? NullArray : new(RedisResultKind.Array, null, null, 0, elements.Length == 0 ? EmptyArray : elements, false);

    /// <summary>Throws <see cref="RedisServerException"/> if this is an error reply; otherwise returns this.</summary>
    /// <exception cref="RedisServerException">The server replied with an error.</exception>
    public RedisResult ThrowIfError() => IsError ? throw new RedisServerException(_error!) : this;

    /// <summary>
    /// The reply as text: strings are decoded as UTF-8, integers formatted in decimal, null gives null.
    /// </summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is an array.</exception>
    public string? AsString()
    {
        ThrowIfError();
        return Kind switch
        {
            _ when IsNull => null,
            RedisResultKind.SimpleString or RedisResultKind.BulkString => Encoding.UTF8.GetString(_bytes!),
            RedisResultKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
            _ => throw CannotConvert("a string"),
        };
    }

    /// <summary>The reply as an integer: an integer reply, or a string holding a decimal integer (as GET returns).</summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is null, an array, or not a decimal integer.</exception>
    public long AsInt64()
    {
        ThrowIfError();
        if (Kind == RedisResultKind.Integer)
        {
            return _integer;
        }

        if (!IsNull && Kind is RedisResultKind.BulkString or RedisResultKind.SimpleString &&
            long.TryParse(_bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw CannotConvert("an integer");
    }

    /// <summary>Like <see cref="AsInt64"/>, but a null reply gives null.</summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is an array or not a decimal integer.</exception>
    public long? AsNullableInt64() => IsNull && !IsError ? null : AsInt64();

    /// <summary>The reply as a double: an integer reply or a string holding a number (<c>inf</c> and <c>-inf</c> allowed).</summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is null, an array, or not a number.</exception>
    public double AsDouble()
    {
        ThrowIfError();
        if (Kind == RedisResultKind.Integer)
        {
            return _integer;
        }

        if (!IsNull && Kind is RedisResultKind.BulkString or RedisResultKind.SimpleString)
        {
            var span = _bytes.AsSpan();
            if (span.SequenceEqual("inf"u8) || span.SequenceEqual("+inf"u8))
            {
                return double.PositiveInfinity;
            }

            if (span.SequenceEqual("-inf"u8))
            {
                return double.NegativeInfinity;
            }

            if (double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        throw CannotConvert("a double");
    }

    /// <summary>
    /// The payload of a string reply without copying. The memory belongs to this result, which is
    /// immutable: do not write to it. A null bulk string gives empty memory (check <see cref="IsNull"/>).
    /// </summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is an integer or an array.</exception>
    public ReadOnlyMemory<byte> AsMemory()
    {
        ThrowIfError();
        return Kind is RedisResultKind.BulkString or RedisResultKind.SimpleString
            ? _bytes
            : throw CannotConvert("bytes");
    }

    /// <summary>A fresh copy of the payload of a string reply, or null for a null bulk string.</summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is an integer or an array.</exception>
    public byte[]? AsBytes() => IsNull ? null : AsMemory().ToArray();

    /// <summary>The elements of an array reply.</summary>
    /// <exception cref="RedisServerException">The reply is an error.</exception>
    /// <exception cref="InvalidCastException">The reply is not an array, or is the null array (check <see cref="IsNull"/>).</exception>
    public IReadOnlyList<RedisResult> AsArray()
    {
        ThrowIfError();
        return ArrayOrThrow();
    }

    /// <summary>A readable form for logs and debugging.</summary>
    public override string ToString() => Kind switch
    {
        _ when IsNull => "(nil)",
        RedisResultKind.Error => "(error) " + _error,
        RedisResultKind.Integer => "(integer) " + _integer.ToString(CultureInfo.InvariantCulture),
        RedisResultKind.Array => "[" + string.Join(", ", _array!.Select(e => e.ToString())) + "]",
        _ => Encoding.UTF8.GetString(_bytes!),
    };

    private RedisResult[] ArrayOrThrow() =>
        Kind == RedisResultKind.Array && _array is not null ? _array : throw CannotConvert("an array");

    private InvalidCastException CannotConvert(string target) =>
        new($"A Redis {(IsNull ? "null " : string.Empty)}{Kind} reply cannot be read as {target}.");
}
