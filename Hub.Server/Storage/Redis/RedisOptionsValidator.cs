using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Checks in cluster mode that <see cref="RedisOptions.Configuration"/> and <see cref="RedisOptions.TrustedCaCertificate"/>
/// make a StackExchange.Redis connection, so a typo stops the node at start with the name of the option.
/// </summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options) =>
        !options.Enabled ? ValidateOptionsResult.Success
        : RedisConnectionConfiguration.Validate(options) is { } failure ? ValidateOptionsResult.Fail(failure)
        : ValidateOptionsResult.Success;
}
