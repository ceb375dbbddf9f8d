using System.Diagnostics.CodeAnalysis;

namespace Hub.Contracts;

/// <summary>
/// How a conversation (the direct messages of the caller and one user) is named where a room's name goes
/// (<c>MarkRead</c>, <c>ReadUpTo</c>): <c>@</c> and the other user's name. <c>@</c> is never part of a name
/// (<see cref="HubNames"/>), so it cannot be mistaken for a room.
/// </summary>
public static class ConversationAddress
{
    /// <summary>The character that starts a conversation's address.</summary>
    public const char Prefix = '@';

    /// <summary>The address of the caller's conversation with <paramref name="user"/>: <c>@{user}</c>.</summary>
    public static string For(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Prefix + user;
    }

    /// <summary>The other user of a conversation's address; false when <paramref name="address"/> is not one (a room's name).</summary>
    public static bool TryGetUser([NotNullWhen(true)] string? address, [NotNullWhen(true)] out string? user)
    {
        user = address is { Length: > 1 } && address[0] == Prefix ? address[1..] : null;
        return user is not null;
    }
}
