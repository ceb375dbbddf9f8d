using Microsoft.Extensions.Options;

namespace Hub.Server.Auth;

/// <summary>Tokens can be validated (a signing key or an authority, unless dev tokens make a key), and a key is long enough.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions o)
    {
        if (!o.DevTokens && string.IsNullOrEmpty(o.SigningKey) && string.IsNullOrEmpty(o.Authority))
        {
            return ValidateOptionsResult.Fail("Auth: with DevTokens=false, set Auth:SigningKey or Auth:Authority so tokens can be validated.");
        }
        return string.IsNullOrEmpty(o.SigningKey) || System.Text.Encoding.UTF8.GetByteCount(o.SigningKey) >= 32
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Auth:SigningKey must be at least 32 bytes.");
    }
}
