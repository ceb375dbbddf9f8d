using Hub.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>The Lua scripts of the Redis stores (files in <c>Scripts/</c>, embedded), each loaded once.</summary>
internal static class RedisScripts
{
    public static RedisScript Append { get; } = Load("append");
    public static RedisScript OpenQueue { get; } = Load("open_queue");
    public static RedisScript RoomCreate { get; } = Load("room_create");
    public static RedisScript RoomDelete { get; } = Load("room_delete");
    public static RedisScript RoomJoin { get; } = Load("room_join");
    public static RedisScript RoomLeave { get; } = Load("room_leave");
    public static RedisScript RoomMembers { get; } = Load("room_members");
    public static RedisScript RoomList { get; } = Load("room_list");
    public static RedisScript RoomIndexLegacy { get; } = Load("room_index_legacy");
    public static RedisScript PresenceAdd { get; } = Load("presence_add");
    public static RedisScript PresenceRemove { get; } = Load("presence_remove");
    public static RedisScript PresenceReap { get; } = Load("presence_reap");

    private static RedisScript Load(string name)
    {
        using var stream = typeof(RedisScripts).Assembly.GetManifestResourceStream($"Hub.Server.Storage.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"Embedded script {name}.lua is missing.");
        using var reader = new StreamReader(stream);
        return new RedisScript(reader.ReadToEnd());
    }
}
