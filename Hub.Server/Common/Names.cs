using System.Diagnostics.CodeAnalysis;
using Hub.Contracts;

namespace Hub.Server.Common;

/// <summary>The one rule for user and room names and device ids (<see cref="HubNames"/>), with the refusals that say it.</summary>
public static class Names
{
    /// <summary>Longest allowed name.</summary>
    public const int MaxLength = HubNames.MaxLength;

    /// <summary>Whether <paramref name="name"/> is a valid user or room name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => HubNames.IsValid(name);

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
