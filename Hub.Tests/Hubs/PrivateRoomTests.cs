using Hub.Client;
using Hub.Contracts;
using Hub.Server.Hubs;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Hubs;

/// <summary>Private rooms, invites, kicks, roles, typing and the room list's events on the chat hub, over real WebSockets.</summary>
public sealed class PrivateRoomTests
{
    // The refusal of a call about a room, with the room's name replaced, so a private room's and a missing room's compare.
    private static async Task<(string Message, string Code)> RefusalAsync(Func<string, Task> call, string room)
    {
        var error = await Assert.ThrowsAsync<HubInvocationException>(() => call(room));
        return (error.Message.Replace($"'{room}'", "'<room>'", StringComparison.Ordinal), error.Code);
    }

    [Fact]
    public async Task Every_call_about_a_private_room_by_a_non_member_is_refused_with_the_same_error_as_a_missing_room()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var mallory = await host.ChatAsync("mallory");
        await alice.Client.CreatePrivateRoomAsync("secret");
        await alice.Client.CreateRoomAsync("decoy");
        var client = mallory.Client;

        Func<string, Task>[] calls =
        [
            room => client.JoinRoomAsync(room),
            room => client.LeaveRoomAsync(room),
            room => client.GetMembersAsync(room),
            room => client.GetHistoryAsync(room, null, 10),
            room => client.SendToRoomAsync(room, "hi"),
            room => client.SendToRoomsAsync(["decoy", room], "hi"),
            room => client.SendAsync(new SendRequest("hi", Room: room)),
            room => client.DeleteRoomAsync(room),
            room => client.InviteAsync(room, "mallory"),
            room => client.KickAsync(room, "alice"),
            room => client.SetRoleAsync(room, "alice", RoomRoles.Member),
            room => client.TypingAsync(room),
        ];
        await client.JoinRoomAsync("decoy");
        foreach (var call in calls)
        {
            var hidden = await RefusalAsync(call, "secret");
            Assert.Equal(await RefusalAsync(call, "nowhere"), hidden);
            Assert.Equal(("Room '<room>' does not exist.", HubErrorCodes.RoomNotFound), hidden);
        }
        Assert.Equal(["decoy"], (await client.ListRoomsAsync()).Select(r => r.Name));
        Assert.Equal([("decoy", false), ("secret", true)], (await alice.Client.ListRoomsAsync()).Select(r => (r.Name, r.IsPrivate)));
    }

    [Fact]
    public async Task Room_pages_leave_out_private_rooms_of_others_and_their_cursor_still_reaches_the_end()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        foreach (var name in new[] { "a1", "a2", "a3", "a4" })
        {
            await alice.Client.CreatePrivateRoomAsync(name);
        }
        await alice.Client.CreateRoomAsync("b1");

        var first = await bob.Client.ListRoomsPageAsync(null, 3);
        var second = await bob.Client.ListRoomsPageAsync(first.Next, 3);

        Assert.Empty(first.Rooms);
        Assert.Equal("a3", first.Next);
        Assert.Equal(["b1"], second.Rooms.Select(r => r.Name));
        Assert.Null(second.Next);
        Assert.Equal(["a1", "a2", "a3"], (await alice.Client.ListRoomsPageAsync(null, 3)).Rooms.Select(r => r.Name));
    }

    [Fact]
    public async Task An_invitee_hears_of_the_invite_on_every_connection_and_joins_with_its_role_in_the_room_state()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bobPhone = await host.ChatAsync("bob");
        await using var bobLaptop = await host.ChatAsync("bob");
        await alice.Client.CreatePrivateRoomAsync("secret");

        await alice.Client.InviteAsync("secret", "bob");

        await bobPhone.WaitForEventAsync("invited:secret:alice");
        await bobLaptop.WaitForEventAsync("invited:secret:alice");
        var state = await bobLaptop.Client.JoinRoomAsync("secret");
        Assert.Equal([("alice", RoomRoles.Owner), ("bob", RoomRoles.Member)], state.Members.Select(m => (m.User, m.Role)));
        await alice.Client.SendToRoomAsync("secret", "welcome");
        await bobPhone.WaitForMessageAsync("welcome");
        Assert.Equal([("secret", true)], (await bobPhone.Client.ListRoomsAsync()).Select(r => (r.Name, r.IsPrivate)));
    }

    [Fact]
    public async Task A_kick_tells_the_room_and_the_kicked_user_with_both_UserLeft_and_UserKicked_and_takes_it_out_of_the_room()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreatePrivateRoomAsync("secret");
        foreach (var user in new[] { bob, carol })
        {
            await alice.Client.InviteAsync("secret", user.Name);
            await user.Client.JoinRoomAsync("secret");
        }

        await alice.Client.KickAsync("secret", "bob");

        // UserLeft keeps its two arguments, so a handler written for it before kicks existed still runs.
        foreach (var user in new[] { alice, carol, bob })
        {
            await user.WaitForEventAsync("left:secret:bob");
            await user.WaitForEventAsync("kicked:secret:bob:alice");
        }
        var bobEvents = bob.Events.ToList();
        Assert.True(bobEvents.IndexOf("left:secret:bob") < bobEvents.IndexOf("kicked:secret:bob:alice"));
        Assert.Equal(["alice", "carol"], (await carol.Client.GetMembersAsync("secret")).Select(m => m.User));
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => bob.Client.SendToRoomAsync("secret", "let me back"));
        Assert.Equal(HubErrorCodes.RoomNotFound, refused.Code);
        await alice.Client.SendToRoomAsync("secret", "after bob");
        await carol.WaitForMessageAsync("after bob");
        Assert.DoesNotContain(bob.Messages, m => m.Text == "after bob");
    }

    [Fact]
    public async Task A_third_UserLeft_argument_would_be_lost_on_a_two_argument_dotnet_handler_which_is_why_kicks_add_UserKicked()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        var hub = host.Services.GetRequiredService<IHubContext<ChatHub>>();

        await hub.Clients.All.SendAsync(HubEvents.UserLeft, "general", "bob", "kicked");
        await hub.Clients.All.SendAsync(HubEvents.UserLeft, "general", "carol");

        // The .NET client binds by argument count: the three-argument event is dropped, the next one arrives.
        await alice.WaitForEventAsync("left:general:carol");
        Assert.DoesNotContain("left:general:bob", alice.Events);
    }

    [Fact]
    public async Task Only_the_owner_changes_roles_and_the_room_hears_of_it_and_admins_may_kick_members_but_not_admins()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await carol.Client.JoinRoomAsync("general");

        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => bob.Client.SetRoleAsync("general", "carol", RoomRoles.Admin));
        Assert.Equal(("Only the owner of room 'general' can change roles.", HubErrorCodes.NotOwner), (refused.Message, refused.Code));
        var unknown = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SetRoleAsync("general", "carol", "king"));
        Assert.Equal(HubErrorCodes.InvalidArgument, unknown.Code);

        await alice.Client.SetRoleAsync("general", "bob", RoomRoles.Admin);
        await carol.WaitForEventAsync("role:general:bob:admin");
        Assert.Equal([RoomRoles.Owner, RoomRoles.Admin, RoomRoles.Member], (await carol.Client.GetMembersAsync("general")).Select(m => m.Role));
        await alice.Client.SetRoleAsync("general", "carol", RoomRoles.Admin);
        var notAdmin = await Assert.ThrowsAsync<HubInvocationException>(() => bob.Client.KickAsync("general", "carol"));
        Assert.Equal(HubErrorCodes.NotAdmin, notAdmin.Code);
        await alice.Client.SetRoleAsync("general", "carol", RoomRoles.Member);
        await bob.Client.KickAsync("general", "carol");
        await alice.WaitForEventAsync("kicked:general:carol:bob");
        var publicInvite = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.InviteAsync("general", "carol"));
        Assert.Contains("is public", publicInvite.Message);
    }

    [Fact]
    public async Task Typing_reaches_the_other_members_only_and_excess_signals_are_dropped_without_an_error()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:TypingPerSecond"] = "0.001",
            ["Limits:TypingBurst"] = "1",
        });
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        for (var i = 0; i < 3; i++)
        {
            await alice.Client.TypingAsync("general");
        }
        // Events of the room's group from one caller arrive in the order they were sent: the role change comes after
        // every typing signal that was passed on.
        await alice.Client.SetRoleAsync("general", "bob", RoomRoles.Admin);
        await bob.WaitForEventAsync("role:general:bob:admin");

        Assert.Single(bob.Events, e => e == "typing:general:alice");
        Assert.DoesNotContain(alice.Events, e => e.StartsWith("typing:", StringComparison.Ordinal));
        Assert.DoesNotContain(carol.Events, e => e.StartsWith("typing:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Everyone_hears_of_public_rooms_created_and_deleted_and_only_members_of_private_ones()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await using var carol = await host.ChatAsync("carol");

        await alice.Client.CreatePrivateRoomAsync("secret");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.DeleteRoomAsync("secret");
        await alice.Client.DeleteRoomAsync("general");

        // Each user hears of things in the order they happened; carol only of the public room, bob (a member) once.
        Assert.Equal(["created:secret:private", "created:general:public", "deleted:secret", "deleted:general"], await RoomEventsAsync(alice, 4));
        Assert.Equal(["created:general:public", "deleted:general"], await RoomEventsAsync(carol, 2));
        Assert.Equal(["created:general:public", "deleted:general"], await RoomEventsAsync(bob, 2));
    }

    private static async Task<IReadOnlyList<string>> RoomEventsAsync(HubUser<ChatClient> user, int count)
    {
        static IEnumerable<string> Of(HubUser<ChatClient> u) =>
            u.Events.Where(e => e.StartsWith("created:", StringComparison.Ordinal) || e.StartsWith("deleted:", StringComparison.Ordinal));
        await user.WaitForAsync(u => Of(u).Count() >= count, $"for {count} room list events");
        return [.. Of(user)];
    }
}
