using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>The refusals of edits and deletions, worded once so both stores say the same thing.</summary>
public static class EditErrors
{
    /// <summary>No message with that id is in the room's log (never was, an edit entry, or trimmed by the history bound).</summary>
    public static HubRequestException MessageNotFound(string id) =>
        new($"Message '{id}' is not in the room's history.", StatusCodes.Status404NotFound, HubErrorCodes.MessageNotFound);

    /// <summary>Only the author may edit; only the author or a room admin may delete.</summary>
    public static HubRequestException NotAuthor(string id, bool deleting) =>
        new(deleting ? $"Only the author of message '{id}' or an admin of its room can delete it." : $"Only the author of message '{id}' can edit it.",
            StatusCodes.Status403Forbidden, HubErrorCodes.NotAuthor);

    /// <summary>The message was deleted: nothing is left to edit or delete.</summary>
    public static HubRequestException Deleted(string id) =>
        new($"Message '{id}' was deleted.", StatusCodes.Status409Conflict, HubErrorCodes.MessageDeleted);
}
