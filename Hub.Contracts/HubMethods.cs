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
}
