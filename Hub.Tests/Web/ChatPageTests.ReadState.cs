using Hub.Client;
using Hub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

/// <summary>Read state on the page: server unread badges, marking read what is seen, "seen by", MyRooms, conversations.</summary>
public abstract partial class ChatPageTests
{
    [Fact]
    public async Task Unread_badges_come_from_the_server_so_a_reload_and_a_second_browser_show_the_same_counts()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "lobby");
        await bob.CreateRoomAsync("elsewhere");
        for (var i = 1; i <= 3; i++)
        {
            await alice.SendAndConfirmAsync($"room {i}");
        }
        await alice.OpenDirectAsync("bob");
        for (var i = 1; i <= 3; i++)
        {
            await alice.SendAndConfirmAsync($"direct {i}");
        }
        var lobby = RoomBadge(bob, "lobby");
        var direct = DirectBadge(bob, "alice");
        await Expect(lobby).ToHaveTextAsync("3");
        await Expect(direct).ToHaveTextAsync("3");
        await Expect(bob.Page).ToHaveTitleAsync("(6) Hub chat");

        // The unacknowledged messages come back on reload as redelivered copies: still 3 and 3, not 6 or 1.
        await bob.Page.ReloadAsync();
        await bob.ExpectConnectedAsync();
        await Expect(lobby).ToHaveTextAsync("3");
        await Expect(direct).ToHaveTextAsync("3");
        var second = await SignedInAsync(a, "bob");
        await Expect(RoomBadge(second, "lobby")).ToHaveTextAsync("3");
        await Expect(DirectBadge(second, "alice")).ToHaveTextAsync("3");

        // Reading in one browser clears the badge in the other (ReadUpTo), and the writer sees who read.
        await bob.Page.GetByTestId("my-rooms").Locator("[data-room='lobby']").ClickAsync();
        await Expect(bob.MessageTexts).ToHaveTextAsync(["room 1", "room 2", "room 3"]);
        await Expect(lobby).ToHaveCountAsync(0);
        await Expect(RoomBadge(second, "lobby")).ToHaveCountAsync(0);
        await Expect(second.Page).ToHaveTitleAsync("(3) Hub chat");
        await alice.Page.GetByTestId("my-rooms").Locator("[data-room='lobby']").ClickAsync();
        await Expect(alice.Page.GetByTestId("seen-by")).ToHaveTextAsync("Seen by bob");
    }

    [Fact]
    public async Task Messages_are_marked_read_only_while_on_screen_in_a_visible_tab()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        await alice.CreateRoomAsync("lobby");
        var context = await NewUserContextAsync(new ViewportSize { Width = 390, Height = 844 });
        var phone = new ChatPage(await context.NewPageAsync(), b);
        Watch(phone.Page, "bob (phone)");
        await phone.OpenAsync();
        await phone.SignInAsync("bob");
        await phone.JoinRoomAsync("lobby");

        // A phone on the Rooms tab: the room is open but its messages are not on screen.
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Rooms" }).ClickAsync();
        await alice.SendAndConfirmAsync("one");
        await Expect(RoomBadge(phone, "lobby")).ToHaveTextAsync("1");
        await alice.SendAndConfirmAsync("two");
        await Expect(RoomBadge(phone, "lobby")).ToHaveTextAsync("2");
        await AfterVisibilityChecksAsync(phone.Page);
        await Expect(RoomBadge(phone, "lobby")).ToHaveTextAsync("2");
        await Expect(phone.Page).ToHaveTitleAsync("(2) Hub chat");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Chat", Exact = true }).ClickAsync();
        await Expect(phone.Page).ToHaveTitleAsync("Hub chat");
        await Expect(alice.Page.GetByTestId("seen-by")).ToHaveTextAsync("Seen by bob");

        // A background tab (hidden) shows what arrives but does not mark it read until it is visible again.
        await SetVisibilityAsync(phone.Page, "hidden");
        await alice.SendAndConfirmAsync("three");
        await Expect(phone.MessageTexts).ToHaveTextAsync(["one", "two", "three"]);
        await AfterVisibilityChecksAsync(phone.Page);
        await Expect(phone.Page).ToHaveTitleAsync("(1) Hub chat");
        await Expect(alice.Page.GetByTestId("seen-by")).ToBeHiddenAsync();
        await SetVisibilityAsync(phone.Page, "visible");
        await Expect(phone.Page).ToHaveTitleAsync("Hub chat");
        await Expect(alice.Page.GetByTestId("seen-by")).ToHaveTextAsync("Seen by bob");
    }

    [Fact]
    public async Task The_room_list_comes_from_MyRooms_with_a_filter_and_conversations_keep_their_history_across_sign_out()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        // More rooms than one page of ListRooms, and alice's own sorts after the first hundred.
        await using (var carol = await ChatClientAsync(a, "carol"))
        await using (var dave = await ChatClientAsync(a, "dave"))
        {
            for (var i = 0; i < 110; i++)
            {
                await (i % 2 == 0 ? carol : dave).Client.CreateRoomAsync($"r{i:D3}");
            }
        }
        var alice = await SignedInAsync(a, "alice");
        await alice.CreateRoomAsync("zz-mine");
        var bob = await SignedInAsync(b, "bob");
        await bob.OpenDirectAsync("alice");
        await bob.SendAndConfirmAsync("remember this");
        var conversation = alice.Page.GetByTestId("dm-list").Locator("[data-testid='dm-link'][data-peer='bob']");
        await conversation.ClickAsync();
        await Expect(alice.MessageTexts).ToHaveTextAsync(["remember this"]);
        await alice.ExpectAllAckedAsync();
        await alice.Page.GetByTestId("my-rooms").Locator("[data-room='zz-mine']").ClickAsync();
        await bob.SendAndConfirmAsync("and this");
        await Expect(conversation.GetByTestId("unread")).ToHaveTextAsync("1");

        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await Expect(alice.Page.GetByTestId("my-rooms").GetByTestId("room-link")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("my-rooms").Locator("[data-room='zz-mine']")).ToBeVisibleAsync();
        await alice.Page.Locator("#other-rooms-box summary").ClickAsync();
        await Expect(alice.Page.Locator("#other-rooms li.other")).ToHaveCountAsync(110);
        await alice.Page.GetByLabel("Filter rooms").FillAsync("r10");
        await Expect(alice.Page.Locator("#other-rooms li.other")).ToHaveCountAsync(10);
        await Expect(alice.Page.GetByTestId("my-rooms").GetByTestId("room-link")).ToHaveCountAsync(0);

        // Signing out forgets the page's copy, and the first message was acknowledged (it is not redelivered): the
        // conversation and its history come back from the server, with its unread count.
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await alice.SignInAsync("alice");
        await Expect(conversation.GetByTestId("unread")).ToHaveTextAsync("1");
        await conversation.ClickAsync();
        await Expect(alice.MessageTexts).ToHaveTextAsync(["remember this", "and this"]);
        await Expect(conversation.GetByTestId("unread")).ToHaveCountAsync(0);
    }

    private static ILocator RoomBadge(ChatPage page, string room) =>
        page.Page.GetByTestId("my-rooms").Locator($"[data-room='{room}']").GetByTestId("unread");

    private static ILocator DirectBadge(ChatPage page, string peer) =>
        page.Page.GetByTestId("dm-list").Locator($"[data-testid='dm-link'][data-peer='{peer}']").GetByTestId("unread");

    // Waits until the browser has run its visibility checks of what is rendered now (IntersectionObserver callbacks run
    // after a rendering update), so a mark that should not happen would have happened.
    private static Task AfterVisibilityChecksAsync(IPage page) => page.EvaluateAsync(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))");

    // What a browser does when its tab goes to the background or comes back: the page reads visibilityState then.
    private static Task SetVisibilityAsync(IPage page, string visibility) => page.EvaluateAsync(
        "v => { Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v }); document.dispatchEvent(new Event('visibilitychange')); }",
        visibility);

    // A Hub.Client user of the server at `address`, for setting up what the page then shows.
    private static async Task<HubUser<ChatClient>> ChatClientAsync(Uri address, string user)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TestTimeouts.Default };
        var token = await DevTokens.RequestAsync(http, user);
        return await HubTestHostExtensions.ConnectAsync(user, Task.FromResult(token), o => new ChatClient(address, o));
    }
}
