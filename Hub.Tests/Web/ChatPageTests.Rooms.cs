using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

/// <summary>Private rooms, invites, roles, kicks, typing and the live room list on the page (rooms.js).</summary>
public abstract partial class ChatPageTests
{
    [Fact]
    public async Task A_private_room_shows_a_lock_and_its_owner_invites_promotes_and_kicks_from_the_member_list()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        var bob = await SignedInAsync(b, "bob");

        await alice.Page.GetByLabel("Private (invited members only)").CheckAsync();
        await alice.CreateRoomAsync("hideout");
        await Expect(alice.Page.GetByTestId("my-rooms").Locator("[data-room='hideout'] [data-testid='lock']")).ToHaveCountAsync(1);

        await alice.Page.GetByLabel("Invite a user").FillAsync("bob");
        await alice.Page.Locator("#invite-form").GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var invite = bob.Page.GetByTestId("invites").Locator("[data-testid='invite'][data-room='hideout']");
        await Expect(invite).ToContainTextAsync("invited by alice");
        await invite.GetByRole(AriaRole.Button, new() { Name = "Join room hideout" }).ClickAsync();
        await bob.ExpectConversationAsync("#hideout");
        await Expect(invite).ToHaveCountAsync(0);
        await Expect(bob.Member("alice")).ToHaveAttributeAsync("data-role", "owner");
        await Expect(alice.Member("bob")).ToHaveAttributeAsync("data-role", "member");

        await alice.Member("bob").GetByRole(AriaRole.Button, new() { Name = "Make bob an admin" }).ClickAsync();
        await Expect(bob.Member("bob")).ToHaveAttributeAsync("data-role", "admin");
        await Expect(bob.Member("bob").GetByTestId("role")).ToHaveTextAsync("admin");
        // An admin cannot kick the owner: no button for it on bob's page.
        await Expect(bob.Member("alice").GetByRole(AriaRole.Button, new() { Name = "Kick alice" })).ToHaveCountAsync(0);
        await alice.ScreenshotAsync(Screenshot("private-room-owner"));

        await alice.Member("bob").GetByRole(AriaRole.Button, new() { Name = "Kick bob" }).ClickAsync();
        await Expect(bob.Page.GetByTestId("notices")).ToContainTextAsync("You were removed from #hideout by alice.");
        await Expect(bob.Page.GetByTestId("my-rooms").Locator("[data-room='hideout']")).ToHaveCountAsync(0);
        await Expect(alice.Member("bob")).ToHaveCountAsync(0);
        await Expect(alice.Page.GetByTestId("messages")).ToContainTextAsync("bob was removed by alice");
    }

    [Fact]
    public async Task Typing_in_a_room_shows_on_the_other_members_page_and_fades_when_it_stops()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "typing");

        await bob.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Just a sec");

        await Expect(alice.Page.GetByTestId("typing")).ToHaveTextAsync("bob is typing…");
        await Expect(bob.Page.GetByTestId("typing")).ToHaveTextAsync("");
        // The hint has a timer: with no further signal it goes by itself.
        await Expect(alice.Page.GetByTestId("typing")).ToHaveTextAsync("", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task The_room_list_follows_rooms_created_and_deleted_by_others_without_a_refresh()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        var bob = await SignedInAsync(b, "bob");
        var join = bob.Page.Locator("#other-rooms").GetByRole(AriaRole.Button, new() { Name = "Join room fresh" });
        await bob.Page.Locator("#other-rooms-box summary").ClickAsync();

        await alice.CreateRoomAsync("fresh");
        await Expect(join).ToHaveCountAsync(1);
        await alice.Page.GetByLabel("Private (invited members only)").CheckAsync();
        await alice.CreateRoomAsync("hush");

        alice.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await alice.OpenRoomAsync("fresh");
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(join).ToHaveCountAsync(0);
        await Expect(bob.Page.Locator("#other-rooms")).Not.ToContainTextAsync("hush");
    }
}
