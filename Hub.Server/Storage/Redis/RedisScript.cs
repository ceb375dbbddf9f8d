using System.Security.Cryptography;
using System.Text;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// A Lua script of the Redis stores with its SHA1, computed once: the script is run by <c>EVALSHA</c> of the hash, and
/// its source is sent only when Redis does not have it (<see cref="RedisStoreConnection.EvaluateAsync(RedisScript, StackExchange.Redis.RedisKey, StackExchange.Redis.RedisValue[], CancellationToken)"/>).
/// StackExchange.Redis can do this from the source alone, but then finds the hash by hashing the whole source (several
/// KB) on every call: 3.5 % of a node's CPU in direct messages (perf).
/// </summary>
/// <param name="source">The Lua source.</param>
internal sealed class RedisScript(string source)
{
    /// <summary>The Lua source.</summary>
    public string Source { get; } = source;

    /// <summary>The SHA1 of <see cref="Source"/>, as Redis names its cached scripts.</summary>
    public byte[] Hash { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(source));
}
