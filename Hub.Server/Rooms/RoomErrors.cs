using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Rooms;

/// <summary>The refusals of room operations, worded once so both stores say the same thing.</summary>
public static class RoomErrors
{
    /// <summary>The room does not exist.</summary>
    public static HubRequestException NotFound(string room) => new($"Room '{room}' does not exist.", StatusCodes.Status404NotFound, HubErrorCodes.RoomNotFound);

    /// <summary>The room already exists.</summary>
    public static HubRequestException Exists(string room) => new($"Room '{room}' already exists.", StatusCodes.Status409Conflict, HubErrorCodes.RoomExists);

    /// <summary>Only the owner may delete.</summary>
    public static HubRequestException NotOwner(string room) => new($"Only the owner of room '{room}' can delete it.", StatusCodes.Status403Forbidden, HubErrorCodes.NotOwner);

    /// <summary>The caller is not a member.</summary>
    public static HubRequestException NotMember(string room) => new($"You are not a member of room '{room}'.", StatusCodes.Status403Forbidden, HubErrorCodes.NotMember);

    /// <summary>The user is in too many rooms.</summary>
    public static HubRequestException TooManyRooms(int max) => new($"You are already in the maximum of {max} rooms (Limits:MaxRoomsPerUser); leave one first.", StatusCodes.Status409Conflict,
        HubErrorCodes.LimitReached);

    /// <summary>The user owns too many rooms.</summary>
    public static HubRequestException TooManyOwned(int max) => new(
        $"You already own the maximum of {max} rooms (Limits:MaxOwnedRoomsPerUser); delete one first.", StatusCodes.Status409Conflict, HubErrorCodes.LimitReached);

    /// <summary>The namespace holds too many rooms.</summary>
    public static HubRequestException NamespaceFull(int max) => new(
        $"This namespace already holds the maximum of {max} rooms (Limits:MaxRoomsPerNamespace); no room can be created until one is deleted.",
        StatusCodes.Status409Conflict, HubErrorCodes.LimitReached);

    /// <summary>The room is full.</summary>
    public static HubRequestException RoomFull(string room, int max) => new($"Room '{room}' is full ({max} members). Set by Limits:MaxMembersPerRoom.", StatusCodes.Status409Conflict,
        HubErrorCodes.RoomFull);
}
