using System.Diagnostics.CodeAnalysis;

namespace Hub.Server.Delivery;

/// <summary>
/// One ordered log a device reads and acknowledges: a room's log, a conversation's log (the direct messages of two
/// users), or a user's own stream (notifications and broadcasts addressed to the user). A message lives in exactly one
/// scope, numbered there by a counter that grows by one per message; a device keeps one cursor per scope.
/// </summary>
/// <param name="Kind">Which kind of log.</param>
/// <param name="Name">The room; the two users joined by <c>/</c> in ordinal order; empty for a user's stream.</param>
public readonly record struct DeliveryScope(DeliveryScopeKind Kind, string Name)
{
    /// <summary>The user's own stream (of whichever user reads it).</summary>
    public static DeliveryScope User => new(DeliveryScopeKind.User, "");

    /// <summary>A room's log.</summary>
    public static DeliveryScope Room(string room) => new(DeliveryScopeKind.Room, room);

    /// <summary>The conversation of two users (either order: it is the same conversation).</summary>
    public static DeliveryScope Conversation(string a, string b) =>
        new(DeliveryScopeKind.Conversation, string.CompareOrdinal(a, b) <= 0 ? a + "/" + b : b + "/" + a);

    /// <summary>For a conversation: the party that is not <paramref name="user"/>.</summary>
    public string PeerOf(string user)
    {
        var slash = Name.IndexOf('/');
        var first = Name[..slash];
        return first == user ? Name[(slash + 1)..] : first;
    }

    /// <summary>
    /// The scope as stores and ids write it: <c>u</c>, <c>r/{room}</c> or <c>d/{a}/{b}</c>. Names never contain
    /// <c>/</c> (<see cref="Common.Names"/>), so the text is unambiguous.
    /// </summary>
    public string Key => Kind switch
    {
        DeliveryScopeKind.Room => "r/" + Name,
        DeliveryScopeKind.Conversation => "d/" + Name,
        _ => "u",
    };

    /// <summary>Parses <see cref="Key"/>; false for anything else.</summary>
    public static bool TryParseKey(ReadOnlySpan<char> key, [NotNullWhen(true)] out DeliveryScope? scope)
    {
        scope = null;
        if (key is "u")
        {
            scope = User;
        }
        else if (key.StartsWith("r/") && key.Length > 2 && !key[2..].Contains('/'))
        {
            scope = Room(key[2..].ToString());
        }
        else if (key.StartsWith("d/") && key[2..].IndexOf('/') is var slash and > 0 && slash < key.Length - 3 && !key[(3 + slash)..].Contains('/'))
        {
            scope = new DeliveryScope(DeliveryScopeKind.Conversation, key[2..].ToString());
        }
        return scope is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Key;
}
