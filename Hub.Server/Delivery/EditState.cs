using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>
/// The latest edit of a stored message, as history and backlogs show the message: its latest text and when it changed,
/// or a tombstone (no text, <see cref="Envelope.Deleted"/>). Both stores apply it the same way.
/// </summary>
/// <param name="Text">The latest text; <c>null</c> once deleted.</param>
/// <param name="At">When the last edit (or the deletion) was stored.</param>
/// <param name="Deleted">Whether the message was deleted.</param>
public readonly record struct EditState(string? Text, DateTimeOffset At, bool Deleted)
{
    /// <summary>The state an edit entry (its envelope) leaves its message in.</summary>
    public static EditState Of(Envelope edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return new(edit.Deleted ? null : edit.Text, edit.EditedAt ?? edit.SentAt, edit.Deleted);
    }

    /// <summary>The message as it reads after this edit.</summary>
    public Envelope ApplyTo(Envelope message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message with { Text = Deleted ? null : Text, EditedAt = At, Deleted = Deleted };
    }
}
