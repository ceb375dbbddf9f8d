namespace Hub.Server.Limits;

/// <summary>Bounds on what one client may ask of the service. Bound from the <c>Limits</c> section.</summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Limits";

    /// <summary>Longest message text, in UTF-8 bytes. Default 4096 (4 KiB).</summary>
    public int MaxTextBytes { get; set; } = 4096;

    /// <summary>How many rooms one user may be a member of, per namespace. Default 100.</summary>
    public int MaxRoomsPerUser { get; set; } = 100;

    /// <summary>
    /// How many members one room may have. Default 10,000: a room message is stored once whatever its size (the room's
    /// log), so the bound is about the fan-out one send causes, not storage.
    /// </summary>
    public int MaxMembersPerRoom { get; set; } = 10_000;

    /// <summary>How many rooms one <c>SendToRooms</c> call may name. Default 20.</summary>
    public int MaxRoomsPerSend { get; set; } = 20;

    /// <summary>SignalR's limit on one incoming hub message, in bytes. Default 32768 (SignalR's own default).</summary>
    public long MaximumReceiveMessageSize { get; set; } = 32 * 1024;

    /// <summary>
    /// Sustained sends per second allowed per user and namespace, across all of the user's connections to a node (token
    /// bucket refill rate; each node limits on its own). Default 20.
    /// </summary>
    public double SendsPerSecond { get; set; } = 20;

    /// <summary>Burst of sends allowed per user and namespace on a node (token bucket size). Default 40.</summary>
    public int SendBurst { get; set; } = 40;

    /// <summary>
    /// Sustained room changes (<c>CreateRoom</c>, <c>DeleteRoom</c>, <c>JoinRoom</c>, <c>LeaveRoom</c>) per second per
    /// user and namespace on a node. Each change notifies the room's members, so this bounds the events one user can
    /// make others receive. Default 2.
    /// </summary>
    public double RoomChangesPerSecond { get; set; } = 2;

    /// <summary>Burst of room changes per user and namespace on a node. Default 20.</summary>
    public int RoomChangeBurst { get; set; } = 20;

    /// <summary>
    /// Sustained reads (<c>ListRooms</c>, <c>ListRoomsPage</c>, <c>GetMembers</c>, <c>GetHistory</c>, <c>MyRooms</c>,
    /// <c>GetConversation</c>, <c>MarkRead</c>) per second per user
    /// and namespace on a node. Default 10.
    /// </summary>
    public double ReadsPerSecond { get; set; } = 10;

    /// <summary>
    /// Burst of reads per user and namespace on a node. Default 200: the web page, on every (re)connect, lists the
    /// rooms and reads the members of up to 100 of them.
    /// </summary>
    public int ReadBurst { get; set; } = 200;

    /// <summary>
    /// Live connections one user may have per namespace, counted across the cluster (the presence store's count; a
    /// crashed node's connections count until they are reaped, <c>Redis:NodeTimeout</c>). Default 10.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>
    /// Rooms one user may own (have created and not deleted), per namespace; in the notifications namespace, the
    /// topics the user's joins created. Default 100.
    /// </summary>
    public int MaxOwnedRoomsPerUser { get; set; } = 100;

    /// <summary>Rooms one namespace may hold. Default 100000.</summary>
    public int MaxRoomsPerNamespace { get; set; } = 100_000;

    /// <summary>
    /// Users one namespace may know (every user that ever connected to it; each may own a pending queue, so this bounds
    /// the number of queues). A new user past it is refused at connect; known users still connect. Default 1,000,000.
    /// </summary>
    public int MaxUsersPerNamespace { get; set; } = 1_000_000;

    /// <summary>Most rooms one <c>ListRooms</c>/<c>ListRoomsPage</c> call returns. Default 100.</summary>
    public int MaxRoomsPage { get; set; } = 100;

    /// <summary>Most ids one <c>Ack</c> call may carry. Default 1000.</summary>
    public int MaxAckIds { get; set; } = 1000;

    /// <summary>Most messages one <c>GetHistory</c> call returns. Default 200.</summary>
    public int MaxHistoryPage { get; set; } = 200;

    /// <summary>
    /// Most conversations one <c>MyRooms</c> call lists, those with the newest last message first (rooms are bounded by
    /// <see cref="MaxRoomsPerUser"/>). Default 100.
    /// </summary>
    public int MaxConversationsListed { get; set; } = 100;

    /// <summary>Most users one notification may name in <c>to.users</c>. Default 1000.</summary>
    public int MaxNotificationUsers { get; set; } = 1000;

    /// <summary>Largest notification request body, in bytes. Default 65536.</summary>
    public int MaxNotificationBytes { get; set; } = 64 * 1024;
}
