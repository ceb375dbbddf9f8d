using Hub.Contracts;

namespace Hub.Client;

public sealed partial class ChatClient
{
    /// <summary>
    /// A room message was edited by its author (<c>MessageEdited</c>): <see cref="Envelope.TargetId"/> is the message's
    /// id, <see cref="Envelope.Text"/> its new text, <see cref="Envelope.EditedAt"/> when. It comes after the message, in
    /// room order, live or redelivered at connect (a client offline during the edit gets it on resume); its own
    /// <see cref="Envelope.Id"/> is de-duplicated and acknowledged like a message's (<see cref="HubClientOptions.AutoAck"/>).
    /// A message redelivered or read from history already shows its latest text, so applying an edit twice is harmless.
    /// </summary>
    public event Action<Envelope>? MessageEdited;

    /// <summary>
    /// A room message was deleted by its author or a room admin (<c>MessageDeleted</c>): <see cref="Envelope.TargetId"/>
    /// is the message's id, <see cref="Envelope.From"/> who deleted it; show a tombstone. Ordered, de-duplicated and
    /// acknowledged as <see cref="MessageEdited"/>.
    /// </summary>
    public event Action<Envelope>? MessageDeleted;

    /// <summary>
    /// <c>EditMessage(room, id, text)</c>: changes the text of one of the caller's own messages in a room. Members
    /// receive <see cref="MessageEdited"/>; history shows the latest text. Not resent by itself across a reconnect: a
    /// retry stores the same text again (harmless).
    /// </summary>
    /// <param name="room">The message's room.</param>
    /// <param name="id">The message's id (<see cref="Envelope.Id"/>).</param>
    /// <param name="text">The new text (same size limit as a send).</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The edit's own id (as delivered in <see cref="MessageEdited"/>) and when it was stored.</returns>
    /// <exception cref="HubInvocationException">Refused: <c>room_not_found</c>, <c>not_member</c>, <c>message_not_found</c>,
    /// <c>not_author</c>, <c>message_deleted</c>, <c>too_large</c>, <c>rate_limited</c>.</exception>
    public Task<SendResult> EditMessageAsync(string room, string id, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(text);
        return InvokeAsync<SendResult>(HubMethods.EditMessage, [room, id, text], cancellationToken);
    }

    /// <summary>
    /// <c>DeleteMessage(room, id)</c>: deletes a message in a room, the caller's own or (for the room's admins) anyone's.
    /// Members receive <see cref="MessageDeleted"/>; history shows a tombstone (no text, <see cref="Envelope.Deleted"/>).
    /// A retry after the first one succeeded is refused with <c>message_deleted</c>.
    /// </summary>
    /// <param name="room">The message's room.</param>
    /// <param name="id">The message's id (<see cref="Envelope.Id"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The deletion's own id (as delivered in <see cref="MessageDeleted"/>) and when it was stored.</returns>
    /// <exception cref="HubInvocationException">Refused: <c>room_not_found</c>, <c>not_member</c>, <c>message_not_found</c>,
    /// <c>not_author</c>, <c>message_deleted</c>, <c>rate_limited</c>.</exception>
    public Task<SendResult> DeleteMessageAsync(string room, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(id);
        return InvokeAsync<SendResult>(HubMethods.DeleteMessage, [room, id], cancellationToken);
    }

    private void RegisterEditEvents()
    {
        OnEntryEvent(HubEvents.MessageEdited, envelope => MessageEdited?.Invoke(envelope));
        OnEntryEvent(HubEvents.MessageDeleted, envelope => MessageDeleted?.Invoke(envelope));
    }
}
