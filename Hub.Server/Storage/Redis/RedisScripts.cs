namespace Hub.Server.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis stores (files in <c>Scripts/</c>, embedded), each read once. StackExchange.Redis sends
/// each by its SHA and falls back to the source when Redis answers NOSCRIPT (after <c>SCRIPT FLUSH</c> or a restart).
/// </summary>
internal static class RedisScripts
{
    public static string Append { get; } = Load("append");
    public static string OpenQueue { get; } = Load("open_queue");
    public static string RoomCreate { get; } = Load("room_create");
    public static string RoomDelete { get; } = Load("room_delete");
    public static string RoomJoin { get; } = Load("room_join");
    public static string RoomLeave { get; } = Load("room_leave");
    public static string RoomMembers { get; } = Load("room_members");
    public static string RoomList { get; } = Load("room_list");
    public static string RoomIndexLegacy { get; } = Load("room_index_legacy");
    public static string PresenceAdd { get; } = Load("presence_add");
    public static string PresenceRemove { get; } = Load("presence_remove");
    public static string PresenceReap { get; } = Load("presence_reap");
    public static string PresenceRestore { get; } = Load("presence_restore");

    private static string Load(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"Hub.Server.Storage.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"Embedded script {name}.lua is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
