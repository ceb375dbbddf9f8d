using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Rooms;

namespace Hub.Tests.Stores;

/// <summary>Private rooms, roles, invites and kicks: the same answers from every store.</summary>
public abstract partial class StoreContractTests
{
    private static readonly RoomLimits RoomyLimits = new(MaxRoomsPerUser: 10, MaxMembersPerRoom: 10);

    // "secret", private, owned by alice; bob is an admin and carol a member (both invited first).
    private async Task<StoreSet> SecretAsync()
    {
        var s = await StoresAsync();
        await s.Rooms.CreateAsync(Ns, "secret", "alice", RoomyLimits, isPrivate: true);
        foreach (var user in new[] { "bob", "carol" })
        {
            await s.Rooms.InviteAsync(Ns, "secret", "alice", user, maxInvites: 10);
            await s.Rooms.JoinAsync(Ns, "secret", user, RoomyLimits, false);
        }
        await s.Rooms.SetRoleAsync(Ns, "secret", "alice", "bob", RoomRoles.Admin);
        return s;
    }

    private static async Task<string> RefusalAsync(Func<Task> call) => (await Assert.ThrowsAsync<HubRequestException>(call)).Message;

    [Fact]
    public async Task A_private_room_is_refused_to_a_non_member_exactly_as_a_room_that_does_not_exist()
    {
        var s = await SecretAsync();
        await s.Rooms.CreateAsync(Ns, "open", "alice", RoomyLimits);

        async Task<(string, string)> BothAsync(Func<string, Task> call) =>
            (await RefusalAsync(() => call("secret")), (await RefusalAsync(() => call("nowhere"))).Replace("nowhere", "secret", StringComparison.Ordinal));

        foreach (var (a, b) in new[]
        {
            await BothAsync(room => s.Rooms.JoinAsync(Ns, room, "mallory", RoomyLimits, false)),
            await BothAsync(room => s.Rooms.LeaveAsync(Ns, room, "mallory")),
            await BothAsync(room => s.Rooms.DeleteAsync(Ns, room, "mallory")),
            await BothAsync(room => s.Rooms.GetRosterAsync(Ns, room, "mallory")),
            await BothAsync(room => s.Rooms.GetAccessAsync(Ns, room, "mallory")),
            await BothAsync(room => s.Rooms.InviteAsync(Ns, room, "mallory", "mallory", 10)),
            await BothAsync(room => s.Rooms.KickAsync(Ns, room, "mallory", "carol")),
            await BothAsync(room => s.Rooms.SetRoleAsync(Ns, room, "mallory", "carol", RoomRoles.Admin)),
            await BothAsync(room => s.Delivery.AppendAsync(ToRoom(room, "mallory", "hi"))),
        })
        {
            Assert.Equal(b, a);
            Assert.Equal(RoomErrors.NotFound("secret").Message, a);
        }
        // A public room still says "not a member"; the listing marks the private room, which callers filter per user.
        Assert.Equal(RoomErrors.NotMember("open").Message, await RefusalAsync(() => s.Delivery.AppendAsync(ToRoom("open", "mallory", "hi"))));
        Assert.Equal([("open", false), ("secret", true)], (await s.Rooms.ListAsync(Ns, null, 10)).Rooms.Select(r => (r.Name, r.IsPrivate)));
        Assert.True((await s.Rooms.GetAsync(Ns, "secret"))!.IsPrivate);
    }

    [Fact]
    public async Task An_invite_admits_one_join_and_a_member_reads_the_roster_with_roles()
    {
        var s = await SecretAsync();

        var roster = await s.Rooms.GetRosterAsync(Ns, "secret", "carol");
        Assert.Equal(["alice", "bob", "carol"], roster.Members);
        Assert.Equal(["bob"], roster.Admins);
        Assert.Equal([RoomRoles.Owner, RoomRoles.Admin, RoomRoles.Member], roster.Members.Select(roster.RoleOf));
        Assert.True(roster.Room.IsPrivate);
        Assert.Equal(RoomRoles.Admin, (await s.Rooms.GetAccessAsync(Ns, "secret", "bob")).Role);
        Assert.Contains("secret", await s.Rooms.GetRoomsOfUserAsync(Ns, "carol"));

        // The invite was used up: after leaving, carol needs a new one.
        await s.Rooms.LeaveAsync(Ns, "secret", "carol");
        Assert.Equal(RoomErrors.NotFound("secret").Message, await RefusalAsync(() => s.Rooms.JoinAsync(Ns, "secret", "carol", RoomyLimits, false)));
        Assert.True(await s.Rooms.InviteAsync(Ns, "secret", "bob", "carol", 10));
        Assert.False(await s.Rooms.InviteAsync(Ns, "secret", "bob", "carol", 10));
        Assert.True((await s.Rooms.JoinAsync(Ns, "secret", "carol", RoomyLimits, false)).Added);
    }

    [Fact]
    public async Task Invites_are_for_private_rooms_by_their_owner_and_admins_and_are_bounded()
    {
        var s = await SecretAsync();
        await s.Rooms.CreateAsync(Ns, "open", "alice", RoomyLimits);

        Assert.Equal(RoomAccessErrors.Public("open").Message, await RefusalAsync(() => s.Rooms.InviteAsync(Ns, "open", "alice", "dave", 10)));
        Assert.Equal(RoomAccessErrors.NotAdmin("secret", "invite").Message, await RefusalAsync(() => s.Rooms.InviteAsync(Ns, "secret", "carol", "dave", 10)));
        Assert.Equal(RoomAccessErrors.AlreadyMember("secret", "carol").Message, await RefusalAsync(() => s.Rooms.InviteAsync(Ns, "secret", "bob", "carol", 10)));
        Assert.True(await s.Rooms.InviteAsync(Ns, "secret", "bob", "dave", 1));
        Assert.Equal(RoomAccessErrors.TooManyInvites("secret", 1).Message, await RefusalAsync(() => s.Rooms.InviteAsync(Ns, "secret", "bob", "erin", 1)));
    }

    [Fact]
    public async Task The_owner_kicks_admins_and_members_and_an_admin_kicks_only_members()
    {
        var s = await SecretAsync();
        await s.Rooms.InviteAsync(Ns, "secret", "alice", "dave", 10);
        await s.Rooms.JoinAsync(Ns, "secret", "dave", RoomyLimits, false);
        await s.Rooms.SetRoleAsync(Ns, "secret", "alice", "dave", RoomRoles.Admin);

        Assert.Equal(RoomAccessErrors.NotAdmin("secret", "kick").Message, await RefusalAsync(() => s.Rooms.KickAsync(Ns, "secret", "carol", "bob")));
        Assert.Equal(RoomAccessErrors.IsOwner("secret", "alice").Message, await RefusalAsync(() => s.Rooms.KickAsync(Ns, "secret", "bob", "alice")));
        Assert.Equal(RoomAccessErrors.IsAdmin("secret", "dave").Message, await RefusalAsync(() => s.Rooms.KickAsync(Ns, "secret", "bob", "dave")));
        Assert.Equal(RoomAccessErrors.Self("secret").Message, await RefusalAsync(() => s.Rooms.KickAsync(Ns, "secret", "bob", "bob")));
        Assert.Equal(RoomAccessErrors.TargetNotMember("secret", "erin").Message, await RefusalAsync(() => s.Rooms.KickAsync(Ns, "secret", "bob", "erin")));

        Assert.True(await s.Rooms.KickAsync(Ns, "secret", "bob", "carol"));
        Assert.True(await s.Rooms.KickAsync(Ns, "secret", "alice", "dave"));

        var roster = await s.Rooms.GetRosterAsync(Ns, "secret", "alice");
        Assert.Equal(["alice", "bob"], roster.Members);
        Assert.Equal(["bob"], roster.Admins);
        Assert.DoesNotContain("secret", await s.Rooms.GetRoomsOfUserAsync(Ns, "carol"));
        // Kicked from a private room, it is gone for them, and a kicked admin comes back (if invited) as a plain member.
        Assert.Equal(RoomErrors.NotFound("secret").Message, await RefusalAsync(() => s.Rooms.GetRosterAsync(Ns, "secret", "carol")));
        await s.Rooms.InviteAsync(Ns, "secret", "alice", "dave", 10);
        await s.Rooms.JoinAsync(Ns, "secret", "dave", RoomyLimits, false);
        Assert.Equal(RoomRoles.Member, (await s.Rooms.GetAccessAsync(Ns, "secret", "dave")).Role);
    }

    [Fact]
    public async Task A_kick_revokes_a_pending_invite_and_admins_kick_in_public_rooms_too()
    {
        var s = await SecretAsync();
        await s.Rooms.InviteAsync(Ns, "secret", "bob", "dave", 10);
        Assert.False(await s.Rooms.KickAsync(Ns, "secret", "bob", "dave"));
        Assert.Equal(RoomErrors.NotFound("secret").Message, await RefusalAsync(() => s.Rooms.JoinAsync(Ns, "secret", "dave", RoomyLimits, false)));

        await s.Rooms.CreateAsync(Ns, "open", "alice", RoomyLimits);
        await s.Rooms.JoinAsync(Ns, "open", "bob", RoomyLimits, false);
        await s.Rooms.JoinAsync(Ns, "open", "carol", RoomyLimits, false);
        await s.Rooms.SetRoleAsync(Ns, "open", "alice", "bob", RoomRoles.Admin);
        Assert.True(await s.Rooms.KickAsync(Ns, "open", "bob", "carol"));
        Assert.Equal(["alice", "bob"], (await s.Rooms.GetRosterAsync(Ns, "open", "mallory")).Members);
    }

    [Fact]
    public async Task Only_the_owner_changes_roles_and_the_owners_own_role_stays()
    {
        var s = await SecretAsync();

        Assert.Equal(RoomAccessErrors.NotOwner("secret").Message, await RefusalAsync(() => s.Rooms.SetRoleAsync(Ns, "secret", "bob", "carol", RoomRoles.Admin)));
        Assert.Equal(RoomAccessErrors.IsOwner("secret", "alice").Message, await RefusalAsync(() => s.Rooms.SetRoleAsync(Ns, "secret", "alice", "alice", RoomRoles.Member)));
        Assert.Equal(RoomAccessErrors.TargetNotMember("secret", "dave").Message, await RefusalAsync(() => s.Rooms.SetRoleAsync(Ns, "secret", "alice", "dave", RoomRoles.Admin)));

        Assert.False(await s.Rooms.SetRoleAsync(Ns, "secret", "alice", "bob", RoomRoles.Admin));
        Assert.True(await s.Rooms.SetRoleAsync(Ns, "secret", "alice", "bob", RoomRoles.Member));
        Assert.Empty((await s.Rooms.GetRosterAsync(Ns, "secret", "alice")).Admins);
        // Leaving drops the role: an admin who leaves and comes back is a member.
        await s.Rooms.SetRoleAsync(Ns, "secret", "alice", "carol", RoomRoles.Admin);
        await s.Rooms.LeaveAsync(Ns, "secret", "carol");
        Assert.Empty((await s.Rooms.GetRosterAsync(Ns, "secret", "alice")).Admins);
    }

    [Fact]
    public async Task Deleting_a_private_room_forgets_its_roles_and_invites()
    {
        var s = await SecretAsync();
        await s.Rooms.InviteAsync(Ns, "secret", "alice", "dave", 10);

        await s.Rooms.DeleteAsync(Ns, "secret", "alice");
        await s.Rooms.CreateAsync(Ns, "secret", "erin", RoomyLimits, isPrivate: true);

        Assert.Equal(RoomErrors.NotFound("secret").Message, await RefusalAsync(() => s.Rooms.JoinAsync(Ns, "secret", "dave", RoomyLimits, false)));
        Assert.Empty((await s.Rooms.GetRosterAsync(Ns, "secret", "erin")).Admins);
    }
}
