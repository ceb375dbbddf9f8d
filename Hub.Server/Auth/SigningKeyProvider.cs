using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Hub.Server.Auth;

/// <summary>The one symmetric key that signs dev tokens and validates tokens: configured, or random per process.</summary>
public sealed partial class SigningKeyProvider
{
    /// <summary>Reads the configured key, or makes a random one (and says so in the log).</summary>
    public SigningKeyProvider(IOptions<AuthOptions> options, ILogger<SigningKeyProvider> logger)
    {
        var configured = options.Value.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
            Log.RandomKey(logger);
        }
        else
        {
            Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }
    }

    /// <summary>The key.</summary>
    public SymmetricSecurityKey Key { get; }
}
