using System.Globalization;
using System.Text;

namespace Hub.Redis;

/// <summary>
/// A command argument: a string, integer, double or raw bytes. It is a struct so that building an
/// argument list does not allocate per argument; bytes are referenced, not copied, until they are
/// written straight into the connection's pipe.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private readonly string? _string;
    private readonly ReadOnlyMemory<byte> _bytes;
    // Holds the long, or the double's bits, so the struct stays small.
    private readonly long _number;

    private RedisValue(RedisValueKind kind, string? text, ReadOnlyMemory<byte> bytes, long number)
    {
        Kind = kind;
        _string = text;
        _bytes = bytes;
        _number = number;
    }

    /// <summary>The null value (written as an empty bulk string).</summary>
    public static RedisValue Null => default;

    /// <summary>What this value carries.</summary>
    public RedisValueKind Kind { get; }

    /// <summary>True when this is <see cref="Null"/>.</summary>
    public bool IsNull => Kind == RedisValueKind.Null;

    /// <summary>Creates a string value; a null string gives <see cref="Null"/>.</summary>
    /// <param name="value">The string.</param>
    public static RedisValue FromString(string? value) =>
        value is null ? default : new RedisValue(RedisValueKind.String, value, default, 0);

    /// <summary>Creates an integer value.</summary>
    /// <param name="value">The integer.</param>
    public static RedisValue FromInt64(long value) => new(RedisValueKind.Int64, null, default, value);

    /// <summary>Creates a double value.</summary>
    /// <param name="value">The double.</param>
    public static RedisValue FromDouble(double value) =>
        new(RedisValueKind.Double, null, default, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Creates a bytes value. The memory is not copied: it must stay unchanged until the command is written.</summary>
    /// <param name="value">The bytes.</param>
    public static RedisValue FromBytes(ReadOnlyMemory<byte> value) => new(RedisValueKind.Bytes, null, value, 0);

    /// <summary>The string, for <see cref="RedisValueKind.String"/> values.</summary>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string AsStringValue() => Kind == RedisValueKind.String ? _string! : throw WrongKind(RedisValueKind.String);

    /// <summary>The integer, for <see cref="RedisValueKind.Int64"/> values.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public long AsInt64Value() => Kind == RedisValueKind.Int64 ? _number : throw WrongKind(RedisValueKind.Int64);

    /// <summary>The double, for <see cref="RedisValueKind.Double"/> values.</summary>
    /// <exception cref="InvalidOperationException">The value is not a double.</exception>
    public double AsDoubleValue() =>
        Kind == RedisValueKind.Double ? BitConverter.Int64BitsToDouble(_number) : throw WrongKind(RedisValueKind.Double);

    /// <summary>The bytes, for <see cref="RedisValueKind.Bytes"/> values.</summary>
    /// <exception cref="InvalidOperationException">The value is not bytes.</exception>
    public ReadOnlyMemory<byte> AsBytesValue() => Kind == RedisValueKind.Bytes ? _bytes : throw WrongKind(RedisValueKind.Bytes);

    /// <summary>Converts a string.</summary>
    /// <param name="value">The string; null gives <see cref="Null"/>.</param>
    public static implicit operator RedisValue(string? value) => FromString(value);

    /// <summary>Converts an integer.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator RedisValue(long value) => FromInt64(value);

    /// <summary>Converts an integer.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator RedisValue(int value) => FromInt64(value);

    /// <summary>Converts a double.</summary>
    /// <param name="value">The double.</param>
    public static implicit operator RedisValue(double value) => FromDouble(value);

    /// <summary>Converts bytes (not copied).</summary>
    /// <param name="value">The bytes; null gives <see cref="Null"/>.</param>
    public static implicit operator RedisValue(byte[]? value) => value is null ? default : FromBytes(value);

    /// <summary>Converts bytes (not copied).</summary>
    /// <param name="value">The bytes.</param>
    public static implicit operator RedisValue(ReadOnlyMemory<byte> value) => FromBytes(value);

    /// <summary>Converts bytes (not copied).</summary>
    /// <param name="value">The bytes.</param>
    public static implicit operator RedisValue(Memory<byte> value) => FromBytes(value);

    /// <inheritdoc />
    public bool Equals(RedisValue other) => Kind == other.Kind && Kind switch
    {
        RedisValueKind.Null => true,
        RedisValueKind.String => string.Equals(_string, other._string, StringComparison.Ordinal),
        RedisValueKind.Bytes => _bytes.Span.SequenceEqual(other._bytes.Span),
        _ => _number == other._number,
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        RedisValueKind.Null => 0,
        RedisValueKind.String => StringComparer.Ordinal.GetHashCode(_string!),
        RedisValueKind.Bytes => _bytes.Length,
        _ => _number.GetHashCode(),
    };

    /// <summary>Compares two values.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other value.</param>
    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    /// <summary>Compares two values.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other value.</param>
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);

    /// <summary>A readable form for logs and debugging (bytes decoded as UTF-8).</summary>
    public override string ToString() => Kind switch
    {
        RedisValueKind.Null => "(null)",
        RedisValueKind.String => _string!,
        RedisValueKind.Int64 => _number.ToString(CultureInfo.InvariantCulture),
        RedisValueKind.Double => BitConverter.Int64BitsToDouble(_number).ToString("R", CultureInfo.InvariantCulture),
        _ => Encoding.UTF8.GetString(_bytes.Span),
    };

    private InvalidOperationException WrongKind(RedisValueKind wanted) =>
        new($"The value is {Kind}, not {wanted}.");
}
