using Hub.Contracts;
using Hub.Server.Rooms;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Roles, invites and kicks in Redis: each is one script on the room's partition (lib_room.lua + room_*.lua), which
/// checks the caller's role and changes the room atomically; a kick then forgets the room in the kicked user's
/// partition, as a leave does.
/// </summary>
internal sealed partial class RedisRoomStore
{
    public async Task<RoomRoster> GetRosterAsync(string ns, string room, string viewer, CancellationToken cancellationToken = default)
    {
        var reply = await RoomScriptAsync(RedisScripts.RoomRoster, ns, room, [viewer], cancellationToken);
        if ((string?)reply[0] != "ok")
        {
            throw RoomErrors.NotFound(room);
        }
        var admins = (int)(long)reply[4];
        var names = Strings(reply, 5);
        return new RoomRoster(Info(room, (string?)reply[1], (string?)reply[2], (long)reply[3] == 1),
            [.. names.Skip(admins).Order(StringComparer.Ordinal)], [.. names.Take(admins).Order(StringComparer.Ordinal)]);
    }

    public async Task<RoomAccess> GetAccessAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var reply = await RoomScriptAsync(RedisScripts.RoomAccess, ns, room, [user], cancellationToken);
        if ((string?)reply[0] != "ok")
        {
            throw RoomErrors.NotFound(room);
        }
        var role = (string?)reply[4];
        return new RoomAccess(Info(room, (string?)reply[1], (string?)reply[2], (long)reply[3] == 1), string.IsNullOrEmpty(role) ? null : role);
    }

    public async Task<bool> InviteAsync(string ns, string room, string by, string user, int maxInvites, CancellationToken cancellationToken = default)
    {
        switch ((string?)await RoomScriptAsync(RedisScripts.RoomInvite, ns, room, [by, user, maxInvites], cancellationToken))
        {
            case "ok": return true;
            case "again": return false;
            case "public": throw RoomAccessErrors.Public(room);
            case "notadmin": throw RoomAccessErrors.NotAdmin(room, "invite");
            case "member": throw RoomAccessErrors.AlreadyMember(room, user);
            case "toomany": throw RoomAccessErrors.TooManyInvites(room, maxInvites);
            default: throw RoomErrors.NotFound(room);
        }
    }

    public async Task<bool> KickAsync(string ns, string room, string by, string user, CancellationToken cancellationToken = default)
    {
        switch ((string?)await RoomScriptAsync(RedisScripts.RoomKick, ns, room, [by, user], cancellationToken))
        {
            case "removed":
                // The room no longer counts the user; now the user's own entry, as LeaveAsync does (in the other order:
                // interrupted between, the user reads the room as empty and joining again completes it).
                await RemoveFromUserAsync(ns, user, room, disown: false, cancellationToken);
                return true;
            case "revoked": return false;
            case "notadmin": throw RoomAccessErrors.NotAdmin(room, "kick");
            case "self": throw RoomAccessErrors.Self(room);
            case "owner": throw RoomAccessErrors.IsOwner(room, user);
            case "admin": throw RoomAccessErrors.IsAdmin(room, user);
            case "notmember": throw RoomAccessErrors.TargetNotMember(room, user);
            default: throw RoomErrors.NotFound(room);
        }
    }

    public async Task<bool> SetRoleAsync(string ns, string room, string by, string user, string role, CancellationToken cancellationToken = default)
    {
        var reply = await RoomScriptAsync(RedisScripts.RoomSetRole, ns, room, [by, user, role], cancellationToken);
        if (reply.Resp2Type == ResultType.Integer)
        {
            return (long)reply == 1;
        }
        switch ((string?)reply)
        {
            case "notowner": throw RoomAccessErrors.NotOwner(room);
            case "owner": throw RoomAccessErrors.IsOwner(room, user);
            case "notmember": throw RoomAccessErrors.TargetNotMember(room, user);
            default: throw RoomErrors.NotFound(room);
        }
    }

    // ARGV: the room's partition base, the room, then the script's own arguments.
    private Task<RedisResult> RoomScriptAsync(RedisScript script, string ns, string room, RedisValue[] args, CancellationToken cancellationToken) =>
        redis.EvaluateAsync(script, Keys.Room(ns, room), [Keys.Base(ns, Keys.RoomPartition(room)), room, .. args], cancellationToken);
}
