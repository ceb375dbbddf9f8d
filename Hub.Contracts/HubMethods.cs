namespace Hub.Contracts;

/// <summary>Names of the hub methods a client invokes. They are the wire names, so they never change casually.</summary>
public static class HubMethods
{
    /// <summary><c>CreateRoom(room) -> RoomInfo</c> (chat only).</summary>
    public const string CreateRoom = "CreateRoom";
    /// <summary><c>DeleteRoom(room)</c>, owner only (chat only).</summary>
    public const string DeleteRoom = "DeleteRoom";
    /// <summary><c>JoinRoom(room) -> RoomState</c>.</summary>
    public const string JoinRoom = "JoinRoom";
    /// <summary><c>LeaveRoom(room)</c>.</summary>
    public const string LeaveRoom = "LeaveRoom";
    /// <summary><c>ListRooms() -> RoomInfo[]</c>: the first page of <see cref="ListRoomsPage"/>.</summary>
    public const string ListRooms = "ListRooms";
    /// <summary><c>ListRoomsPage(after?, limit) -> RoomPage</c>: rooms named after <c>after</c>, by name.</summary>
    public const string ListRoomsPage = "ListRoomsPage";
    /// <summary><c>GetMembers(room) -> Member[]</c>.</summary>
    public const string GetMembers = "GetMembers";
    /// <summary><c>SendToRoom(room, text) -> SendResult</c> (chat only).</summary>
    public const string SendToRoom = "SendToRoom";
    /// <summary><c>SendToRooms(rooms[], text) -> SendResult</c> (chat only).</summary>
    public const string SendToRooms = "SendToRooms";
    /// <summary><c>SendToUser(user, text) -> SendResult</c> (chat only).</summary>
    public const string SendToUser = "SendToUser";
    /// <summary><c>Broadcast(text) -> SendResult</c> (chat only).</summary>
    public const string Broadcast = "Broadcast";
    /// <summary><c>Send(SendRequest) -> SendResult</c> (chat only): any target, with an optional idempotency key.</summary>
    public const string Send = "Send";
    /// <summary><c>GetHistory(room, before?, limit) -> Envelope[]</c>, newest last.</summary>
    public const string GetHistory = "GetHistory";
    /// <summary><c>Ack(ids[])</c>: removes delivered entries from the caller's pending queue.</summary>
    public const string Ack = "Ack";
    /// <summary><c>CreatePrivateRoom(room) -> RoomInfo</c> (chat only): a room only invited users can see and join.</summary>
    public const string CreatePrivateRoom = "CreatePrivateRoom";
    /// <summary><c>Invite(room, user)</c>: lets a user join a private room (owner and admins).</summary>
    public const string Invite = "Invite";
    /// <summary><c>Kick(room, user)</c>: removes a member (owner and admins).</summary>
    public const string Kick = "Kick";
    /// <summary><c>SetRole(room, user, role)</c>: owner only; roles are in <see cref="RoomRoles"/>.</summary>
    public const string SetRole = "SetRole";
    /// <summary><c>Typing(room)</c>: tells the other members the caller is typing (not stored, rate-limited).</summary>
    public const string Typing = "Typing";
    /// <summary><c>MarkRead(room, seq)</c>: records how far the caller has read a room (never backwards).</summary>
    public const string MarkRead = "MarkRead";
    /// <summary><c>MyRooms()</c>: the caller's rooms and conversations with their last seq, read seq and unread count.</summary>
    public const string MyRooms = "MyRooms";
    /// <summary><c>GetConversation(user, before?, limit)</c>: direct messages with a user, newest last.</summary>
    public const string GetConversation = "GetConversation";
    /// <summary><c>EditMessage(room, id, text)</c>: the author changes a stored message's text.</summary>
    public const string EditMessage = "EditMessage";
    /// <summary><c>DeleteMessage(room, id)</c>: the author (or a room admin) deletes a stored message.</summary>
    public const string DeleteMessage = "DeleteMessage";
}
