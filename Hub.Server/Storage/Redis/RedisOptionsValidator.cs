using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Checks in cluster mode that <see cref="RedisOptions.Configuration"/> and <see cref="RedisOptions.TrustedCaCertificate"/>
/// make a StackExchange.Redis connection, so a typo stops the node at start with the name of the option, and that the
/// prefix and the probe, node and command timings are usable.
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
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        if (string.IsNullOrWhiteSpace(options.Prefix))
        {
            return ValidateOptionsResult.Fail("Redis:Prefix must not be empty.");
        }
        return RedisConnectionConfiguration.Validate(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
    }
}
