using System.Diagnostics.CodeAnalysis;
using Hub.Server.Common;

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

    /// <summary>
    /// Parses <see cref="Key"/>; false for anything else, including names that are not valid names and a conversation
    /// whose parties are not in ordinal order: ids come back from clients (acks, cursors), and a scope must have one
    /// spelling, or a store would look for a log under a name it never writes.
    /// </summary>
    public static bool TryParseKey(ReadOnlySpan<char> key, [NotNullWhen(true)] out DeliveryScope? scope)
    {
        scope = null;
        if (key is "u")
        {
            scope = User;
        }
        else if (key.StartsWith("r/") && key[2..].ToString() is var room && Names.IsValid(room))
        {
            scope = Room(room);
        }
        else if (key.StartsWith("d/") && key[2..].ToString() is var pair && pair.IndexOf('/') is var slash and > 0
            && pair[..slash] is var a && pair[(slash + 1)..] is var b
            && Names.IsValid(a) && Names.IsValid(b) && string.CompareOrdinal(a, b) <= 0)
        {
            scope = new DeliveryScope(DeliveryScopeKind.Conversation, pair);
        }
        return scope is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Key;
}
