using Microsoft.Extensions.Options;

namespace Hub.Server.Backplane;

/// <summary>Both backplane timeouts are positive and at most a day (the longest a timer takes).</summary>
internal sealed class RedisBackplaneOptionsValidator : IValidateOptions<RedisBackplaneOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisBackplaneOptions o) =>
        o.GroupAckTimeout > TimeSpan.Zero && o.GroupAckTimeout <= TimeSpan.FromDays(1)
        && o.ClientResultTimeout > TimeSpan.Zero && o.ClientResultTimeout <= TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Redis:Backplane: GroupAckTimeout and ClientResultTimeout must be positive and at most one day.");
}
