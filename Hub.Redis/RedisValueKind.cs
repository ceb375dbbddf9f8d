namespace Hub.Redis;

/// <summary>The kind of data a <see cref="RedisValue"/> carries.</summary>
public enum RedisValueKind
{
    /// <summary>No value; written as an empty bulk string.</summary>
    Null,

    /// <summary>A .NET string, written as UTF-8.</summary>
    String,

    /// <summary>A 64-bit integer, written in decimal.</summary>
    Int64,

    /// <summary>A double, written in shortest round-trip invariant form (<c>inf</c>/<c>-inf</c> for infinities).</summary>
    Double,

    /// <summary>Raw bytes, written as-is.</summary>
    Bytes,
}
