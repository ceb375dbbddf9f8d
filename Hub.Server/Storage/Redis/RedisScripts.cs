namespace Hub.Server.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis stores (files in <c>Scripts/</c>, embedded), each read once. Each touches
/// one slot (the keys of one partition, or one namespace key), named in KEYS so a Redis Cluster routes it there. Each is
/// run by its SHA, and its source is sent when Redis answers NOSCRIPT (after <c>SCRIPT FLUSH</c> or a restart).
/// </summary>
internal static class RedisScripts
{
    public static RedisScript ScopeAppend { get; } = new(Load("lib_append") + Load("lib_room") + Load("scope_append"));
    public static RedisScript UserAppend { get; } = new(Load("lib_append") + Load("user_append"));
    public static RedisScript MessageEdit { get; } = new(Load("lib_append") + Load("lib_room") + Load("message_edit"));
    public static RedisScript ReadHistory { get; } = new(Load("lib_edits") + Load("read_history"));
    public static RedisScript SendKey { get; } = new(Load("lib_append") + Load("send_key"));
    public static RedisScript OpenDevice { get; } = new(Load("open_device"));
    public static RedisScript ReadBacklog { get; } = new(Load("lib_edits") + Load("read_backlog"));
    public static RedisScript Ack { get; } = new(Load("ack"));
    public static RedisScript RoomCreate { get; } = new(Load("room_create"));
    public static RedisScript RoomNameAdd { get; } = new(Load("room_name_add"));
    public static RedisScript RoomDelete { get; } = new(Load("lib_room") + Load("room_delete"));
    public static RedisScript RoomJoin { get; } = new(Load("room_join"));
    public static RedisScript RoomLeave { get; } = new(Load("lib_room") + Load("room_leave"));
    public static RedisScript RoomAccess { get; } = new(Load("lib_room") + Load("room_access"));
    public static RedisScript RoomRoster { get; } = new(Load("lib_room") + Load("room_roster"));
    public static RedisScript RoomInvite { get; } = new(Load("lib_room") + Load("room_invite"));
    public static RedisScript RoomKick { get; } = new(Load("lib_room") + Load("room_kick"));
    public static RedisScript RoomSetRole { get; } = new(Load("lib_room") + Load("room_set_role"));
    public static RedisScript RoomMembers { get; } = new(Load("room_members"));
    public static RedisScript UserRoomAdd { get; } = new(Load("user_room_add"));
    public static RedisScript UserRoomRemove { get; } = new(Load("user_room_remove"));
    public static RedisScript PresenceAdd { get; } = new(Load("presence_add"));
    public static RedisScript PresenceRemove { get; } = new(Load("presence_remove"));
    public static RedisScript KnownAdmit { get; } = new(Load("known_admit"));
    public static RedisScript ReadMark { get; } = new(Load("lib_room") + Load("read_mark"));
    public static RedisScript ReadStates { get; } = new(Load("read_states"));

    private static string Load(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"Hub.Server.Storage.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"Embedded script {name}.lua is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
