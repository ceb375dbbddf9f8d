using Hub.Contracts;
using Hub.Server.Limits;

namespace Hub.Server.Hubs;

/// <summary>Editing and deleting room messages (<c>EditMessage</c>, <c>DeleteMessage</c>).</summary>
public sealed partial class ChatHub
{
    /// <summary>
    /// Changes the text of the caller's own message in a room (same size limit as a send); members receive
    /// <c>MessageEdited</c>, history shows the latest text. Rate-limited as a send.
    /// </summary>
    public Task<SendResult> EditMessage(string room, string id, string text)
    {
        Acquire(RateLimit.Send);
        return Services.Edits.EditAsync(Ns, User, room, id, text, Context.ConnectionAborted);
    }

    /// <summary>
    /// Deletes a message in a room: the caller's own, or any member's for the room's admins; members receive
    /// <c>MessageDeleted</c>, history shows a tombstone. Rate-limited as a send.
    /// </summary>
    public Task<SendResult> DeleteMessage(string room, string id)
    {
        Acquire(RateLimit.Send);
        return Services.Edits.DeleteAsync(Ns, User, room, id, Context.ConnectionAborted);
    }
}
