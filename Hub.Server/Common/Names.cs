using System.Diagnostics.CodeAnalysis;

namespace Hub.Server.Common;

/// <summary>The one rule for user and room names: 1-64 characters of ASCII letters, digits, <c>_ . -</c>.</summary>
public static class Names
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> is a valid user or room name.</summary>
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

    /// <summary>Returns the room name or throws a refusal that says what a valid name is.</summary>
    public static string Room(string? name) => IsValid(name) ? name : throw new HubRequestException(
        $"Invalid room name '{Truncate(name)}': use 1-{MaxLength} characters of letters, digits, '_', '.' or '-'.");

    /// <summary>Returns the user name or throws a refusal that says what a valid name is.</summary>
    public static string User(string? name) => IsValid(name) ? name : throw new HubRequestException(InvalidUser(name));

    /// <summary>
    /// Returns the device id a client named (same rule as names), or <c>""</c> (the user's anonymous device) when it
    /// named none; throws a refusal that says what a valid id is.
    /// </summary>
    public static string Device(string? id) => string.IsNullOrEmpty(id) ? "" : IsValid(id) ? id : throw new HubRequestException(
        $"Invalid device id '{Truncate(id)}': use 1-{MaxLength} characters of letters, digits, '_', '.' or '-'.");

    /// <summary>Why <paramref name="name"/> is refused as a user name (for callers that refuse without throwing).</summary>
    public static string InvalidUser(string? name) =>
        $"Invalid user name '{Truncate(name)}': use 1-{MaxLength} characters of letters, digits, '_', '.' or '-'.";

    // Echo enough of a bad name to recognise it without reflecting a huge payload back.
    private static string Truncate(string? name) => name is null ? "" : name.Length <= 80 ? name : name[..80] + "...";
}
