using Hub.Server.Http;
using Microsoft.Extensions.Options;

namespace Hub.Server.Notifications;

/// <summary>Finds the caller of an API key, comparing in constant time so the key cannot be guessed by timing.</summary>
public sealed class ApiKeyValidator(IOptionsMonitor<NotificationsOptions> options)
{
    /// <summary>The caller name of <paramref name="key"/>, or <c>null</c>.</summary>
    public string? FindCaller(string? key)
    {
        // Every configured key is compared, matching or not, so the time taken says nothing about which one matched.
        string? caller = null;
        foreach (var (name, value) in options.CurrentValue.ApiKeys)
        {
            if (ApiKeys.Matches(key, value))
            {
                caller = name;
            }
        }
        return caller;
    }
}
