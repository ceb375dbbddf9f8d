using System.Security.Cryptography;
using System.Text;

namespace Hub.Redis;

/// <summary>
/// A Lua script with its SHA1 computed once, so <see cref="RedisClient.EvaluateAsync"/> can send the
/// short EVALSHA and only send the source (EVAL) when the server's script cache lacks it.
/// Create one instance per script and keep it (e.g. in a static field).
/// </summary>
public sealed class RedisScript
{
    /// <summary>Creates the script and computes its SHA1.</summary>
    /// <param name="source">The Lua source.</param>
    public RedisScript(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
        SourceBytes = Encoding.UTF8.GetBytes(source);
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(SourceBytes.Span));
    }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>The lowercase hex SHA1 of the UTF-8 source, as Redis computes it.</summary>
    public string Sha1 { get; }

    // Encoded once: EVAL fallbacks then write the bytes without re-encoding.
    internal ReadOnlyMemory<byte> SourceBytes { get; }

    /// <summary>The SHA1, for logs.</summary>
    public override string ToString() => Sha1;
}
