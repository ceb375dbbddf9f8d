using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Checks in cluster mode that <see cref="RedisOptions.Configuration"/> and <see cref="RedisOptions.TrustedCaCertificate"/>
/// make a StackExchange.Redis connection, so a typo stops the node at start with the name of the option, and that the
/// prefix, the partitions and the probe, node and command timings are usable.
/// </summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (options.ProbeInterval <= TimeSpan.Zero || options.ProbeTimeout <= TimeSpan.Zero || options.NodeTimeout < TimeSpan.FromSeconds(1))
        {
            return ValidateOptionsResult.Fail("Redis: ProbeInterval and ProbeTimeout must be positive, NodeTimeout at least 1 s.");
        }
        // StackExchange.Redis takes the timeout in whole milliseconds as an int.
        if (options.CommandTimeout < TimeSpan.FromMilliseconds(1) || options.CommandTimeout > TimeSpan.FromDays(1))
        {
            return ValidateOptionsResult.Fail("Redis:CommandTimeout must be between 1 ms and 1 day.");
        }
        if (options.Partitions is < 1 or > 1024)
        {
            return ValidateOptionsResult.Fail("Redis:Partitions must be between 1 and 1024.");
        }
        if (options.WaitForReplicas < 0 || options.NodeCacheSize < 1)
        {
            return ValidateOptionsResult.Fail("Redis:WaitForReplicas must not be negative, and Redis:NodeCacheSize must be positive.");
        }
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        // A brace would start a hash tag of its own and put keys of one partition into different cluster slots.
        if (string.IsNullOrWhiteSpace(options.Prefix) || options.Prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            return ValidateOptionsResult.Fail("Redis:Prefix must not be empty nor contain '{' or '}'.");
        }
        return RedisConnectionConfiguration.Validate(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
