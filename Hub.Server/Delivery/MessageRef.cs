using System.Diagnostics.CodeAnalysis;

namespace Hub.Server.Delivery;

/// <summary>
/// Where a message is: its scope and its position there. Written as the message's id: <c>{ms}-{n}</c> for a user's
/// stream, <c>{ms}-{n}/r/{room}</c> for a room, <c>{ms}-{n}/d/{a}/{b}</c> for a conversation. The position
/// (<c>{ms}-{n}</c>, a Redis stream entry id) grows in store order within the scope, <c>n</c> by one per message, so
/// an id is unique in its namespace (for the user who receives it), orders messages within their scope, and tells the
/// server which cursor an acknowledgement moves.
/// </summary>
/// <param name="Scope">The log it is in.</param>
/// <param name="Position">Its position in that log.</param>
public readonly record struct MessageRef(DeliveryScope Scope, MessageId Position)
{
    /// <summary>Parses a message id; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? id, out MessageRef reference)
    {
        reference = default;
        if (id is null || id.Length > 200)
        {
            return false;
        }
        var slash = id.IndexOf('/');
        var position = slash < 0 ? id : id[..slash];
        if (!MessageId.TryParse(position, out var at))
        {
            return false;
        }
        if (slash < 0)
        {
            reference = new MessageRef(DeliveryScope.User, at);
            return true;
        }
        if (!DeliveryScope.TryParseKey(id.AsSpan(slash + 1), out var scope) || scope.Value.Kind == DeliveryScopeKind.User)
        {
            return false;
        }
        reference = new MessageRef(scope.Value, at);
        return true;
    }

    /// <summary>
    /// How far past the present an acknowledged position may be (node clocks differ a little). A position further
    /// ahead was never handed out: acknowledging it would move the device's cursor past messages still to come and
    /// silence that scope for the device, so stores ignore it.
    /// </summary>
    public static readonly TimeSpan AckClockTolerance = TimeSpan.FromMinutes(1);

    /// <summary>Whether <paramref name="position"/> could have been handed out by <paramref name="now"/> (within <see cref="AckClockTolerance"/>).</summary>
    public static bool IsPlausibleAck(MessageId position, DateTimeOffset now) =>
        position.Milliseconds <= (now + AckClockTolerance).ToUnixTimeMilliseconds();

    /// <summary>
    /// Adds the ids' plausible references to <paramref name="greatest"/> (by scope key), keeping only the greatest
    /// position per scope: acks are cumulative, so that is where they move the scope's cursor. Ids that do not parse or
    /// are not plausible (<see cref="IsPlausibleAck"/>) are skipped, as stores ignore them.
    /// </summary>
    public static void KeepGreatest(Dictionary<string, MessageRef> greatest, IEnumerable<string> ids, DateTimeOffset now)
    {
        foreach (var id in ids)
        {
            if (TryParse(id, out var at) && IsPlausibleAck(at.Position, now))
            {
                KeepGreatest(greatest, at);
            }
        }
    }

    /// <summary>Adds <paramref name="at"/> to <paramref name="greatest"/> unless its scope already has a greater position.</summary>
    public static void KeepGreatest(Dictionary<string, MessageRef> greatest, MessageRef at)
    {
        if (!greatest.TryGetValue(at.Scope.Key, out var known) || at.Position > known.Position)
        {
            greatest[at.Scope.Key] = at;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Scope.Kind == DeliveryScopeKind.User ? Position.ToString() : Position + "/" + Scope.Key;
}
