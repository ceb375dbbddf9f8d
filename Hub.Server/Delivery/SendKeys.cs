using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>
/// Idempotency keys of sends: the rule for what a key may be, and the fingerprint that tells a retry of a message
/// from a different message sent under the same key. Both stores use these, so they refuse and match alike.
/// </summary>
public static class SendKeys
{
    /// <summary>Longest allowed key.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="key"/> is 1-64 printable ASCII characters without spaces (<c>!</c> to <c>~</c>).</summary>
    public static bool IsValid([NotNullWhen(true)] string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Returns <paramref name="key"/> (<c>null</c> stays <c>null</c>: no key) or throws a refusal that says what a key may be.</summary>
    public static string? Validate(string? key) => key is null || IsValid(key) ? key : throw new HubRequestException(
        $"Invalid idempotency key: use 1-{MaxLength} printable ASCII characters without spaces ('!' to '~').");

    /// <summary>
    /// What a retry must repeat to count as the same message: target, addressee, text, type and payload, hashed
    /// (16 bytes of SHA-256, hex), so a store can compare it without keeping the message twice.
    /// </summary>
    public static string Fingerprint(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var t = message.Target;
        // Fields joined by a character no field can contain unescaped (names are [A-Za-z0-9_.-]; text is length-prefixed).
        var canonical = new StringBuilder()
            .Append(t.Rooms is { } rooms ? "rooms:" + string.Join(',', rooms) : "")
            .Append(t.Users is { } users ? "users:" + string.Join(',', users) : "")
            .Append(t.Online ? "online:" + t.ExceptUser : "")
            .Append(t.Known ? "known" : "")
            .Append('\n').Append(message.To)
            .Append('\n').Append(message.Type)
            .Append('\n').Append(message.Text?.Length).Append(':').Append(message.Text)
            .Append('\n').Append(message.Payload?.GetRawText())
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 16));
    }
}
