namespace Hub.Server.Limits;

/// <summary>What a user's request spends; each kind has its own rate (<see cref="LimitsOptions"/>).</summary>
public enum RateLimit
{
    /// <summary>Sending a message (<c>SendToRoom</c>, <c>SendToRooms</c>, <c>SendToUser</c>, <c>Broadcast</c>).</summary>
    Send,

    /// <summary>Changing rooms (<c>CreateRoom</c>, <c>DeleteRoom</c>, <c>JoinRoom</c>, <c>LeaveRoom</c>): each change notifies members.</summary>
    RoomChange,

    /// <summary>
    /// Reading (<c>ListRooms</c>, <c>ListRoomsPage</c>, <c>GetMembers</c>, <c>GetHistory</c>, <c>MyRooms</c>, <c>GetConversation</c>) and
    /// marking read (<c>MarkRead</c>: frequent and cheap, as a read is).
    /// </summary>
    Read,
}
