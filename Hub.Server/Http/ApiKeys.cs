using System.Security.Cryptography;
using System.Text;

namespace Hub.Server.Http;

/// <summary>
/// The one comparison of a presented key (header <c>X-Api-Key</c>) with a configured one: in constant time, so a key
/// cannot be guessed by timing, and never a match for an empty key on either side.
/// </summary>
public static class ApiKeys
{
    /// <summary>The header that carries a key.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>Whether <paramref name="given"/> is <paramref name="key"/>.</summary>
    public static bool Matches(string? given, string? key) =>
        !string.IsNullOrEmpty(given) && !string.IsNullOrEmpty(key)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));

    /// <summary>The key <paramref name="request"/> carries in <see cref="Header"/>, or empty.</summary>
    public static string Given(HttpRequest request) => request.Headers[Header].ToString();
}
