using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Hub.Server.Notifications;

/// <summary>Finds the caller of an API key, comparing in constant time so the key cannot be guessed by timing.</summary>
public sealed class ApiKeyValidator(IOptionsMonitor<NotificationsOptions> options)
{
    /// <summary>The caller name of <paramref name="key"/>, or <c>null</c>.</summary>
    public string? FindCaller(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
        var given = Encoding.UTF8.GetBytes(key);
        string? caller = null;
        foreach (var (name, value) in options.CurrentValue.ApiKeys)
        {
            if (!string.IsNullOrEmpty(value) && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(value)))
            {
                caller = name;
            }
        }
        return caller;
    }
}
