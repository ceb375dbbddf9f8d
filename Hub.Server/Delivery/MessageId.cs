using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>
/// A message id: <c>{unixMilliseconds}-{counter}</c>, the format of a Redis stream entry id. The counter is unique and
/// increasing per namespace, so an id is unique in its namespace, greater than every earlier one, and usable as the
/// explicit entry id in every recipient's stream (which lets a client ack by message id, and lets MINID trim by age).
/// </summary>
public readonly record struct MessageId(long Milliseconds, long Counter) : IComparable<MessageId>
{
    /// <inheritdoc/>
    public int CompareTo(MessageId other)
    {
        var c = Milliseconds.CompareTo(other.Milliseconds);
        return c != 0 ? c : Counter.CompareTo(other.Counter);
    }

    /// <summary>Parses <c>ms-counter</c>; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out MessageId id)
    {
        id = default;
        if (text is null || text.Length > 41)
        {
            return false;
        }
        var dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
        {
            return false;
        }
        id = new MessageId(ms, counter);
        return true;
    }

    /// <summary>
    /// Parses an id a client gave as a cursor (<c>before</c>, <c>after</c>): <c>null</c> stays <c>null</c> (no cursor);
    /// anything that is not an id is refused with a message that names it.
    /// </summary>
    /// <exception cref="HubRequestException">Not a message id.</exception>
    /// <remarks>A message id with its scope (<see cref="MessageRef"/>) gives its position.</remarks>
    public static MessageId? ParseCursor(string? text) =>
        text is null ? null : MessageRef.TryParse(text, out var at) ? at.Position : throw new HubRequestException($"Invalid message id '{text}'.");

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Counter}");

    /// <summary>Orders ids.</summary>
    public static bool operator <(MessageId a, MessageId b) => a.CompareTo(b) < 0;
    /// <summary>Orders ids.</summary>
    public static bool operator >(MessageId a, MessageId b) => a.CompareTo(b) > 0;
    /// <summary>Orders ids.</summary>
    public static bool operator <=(MessageId a, MessageId b) => a.CompareTo(b) <= 0;
    /// <summary>Orders ids.</summary>
    public static bool operator >=(MessageId a, MessageId b) => a.CompareTo(b) >= 0;
}
