using System.Diagnostics.CodeAnalysis;

namespace Hub.Contracts;

/// <summary>
/// The one rule for the names a client gives the server: user and room names and device ids are 1-64 characters of
/// ASCII letters, digits, <c>_ . -</c>. The server refuses anything else; a client can check before sending.
/// </summary>
public static class HubNames
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> is a valid user or room name or device id.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
