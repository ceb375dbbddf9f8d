using Microsoft.Extensions.Options;

namespace Hub.Server.Hosting;

/// <summary>The drain delay is not negative and fits in the shutdown timeout.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions o) =>
        o.DrainDelay >= TimeSpan.Zero && o.Timeout > o.DrainDelay
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Shutdown: DrainDelay must not be negative and Timeout must exceed it.");
}
