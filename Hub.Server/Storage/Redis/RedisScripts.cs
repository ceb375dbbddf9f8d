namespace Hub.Server.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis stores (files in <c>Scripts/</c>, embedded), each read once. Each touches
/// one slot (the keys of one partition, or one namespace key), named in KEYS so a Redis Cluster routes it there. StackExchange.Redis sends
/// each by its SHA and falls back to the source when Redis answers NOSCRIPT (after <c>SCRIPT FLUSH</c> or a restart).
/// </summary>
internal static class RedisScripts
{
    public static string ScopeAppend { get; } = Load("lib_append") + Load("lib_room") + Load("scope_append");
    public static string UserAppend { get; } = Load("lib_append") + Load("user_append");
    public static string MessageEdit { get; } = Load("lib_append") + Load("lib_room") + Load("message_edit");
    public static string ReadHistory { get; } = Load("lib_edits") + Load("read_history");
    public static string SendKey { get; } = Load("send_key");
    public static string OpenDevice { get; } = Load("open_device");
    public static string ReadBacklog { get; } = Load("lib_edits") + Load("read_backlog");
    public static string Ack { get; } = Load("ack");
    public static string RoomCreate { get; } = Load("room_create");
    public static string RoomNameAdd { get; } = Load("room_name_add");
    public static string RoomDelete { get; } = Load("lib_room") + Load("room_delete");
    public static string RoomJoin { get; } = Load("room_join");
    public static string RoomLeave { get; } = Load("lib_room") + Load("room_leave");
    public static string RoomAccess { get; } = Load("lib_room") + Load("room_access");
    public static string RoomRoster { get; } = Load("lib_room") + Load("room_roster");
    public static string RoomInvite { get; } = Load("lib_room") + Load("room_invite");
    public static string RoomKick { get; } = Load("lib_room") + Load("room_kick");
    public static string RoomSetRole { get; } = Load("lib_room") + Load("room_set_role");
    public static string RoomMembers { get; } = Load("room_members");
    public static string UserRoomAdd { get; } = Load("user_room_add");
    public static string UserRoomRemove { get; } = Load("user_room_remove");
    public static string PresenceAdd { get; } = Load("presence_add");
    public static string PresenceRemove { get; } = Load("presence_remove");
    public static string KnownAdmit { get; } = Load("known_admit");
    public static string ReadMark { get; } = Load("lib_room") + Load("read_mark");
    public static string ReadStates { get; } = Load("read_states");

    private static string Load(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"Hub.Server.Storage.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"Embedded script {name}.lua is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
