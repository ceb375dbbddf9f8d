using System.Net;
using Hub.Server.Common;
using Hub.Server.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

// The message list and the message box: where a room opens, separators and groups, links, notification payloads, and
// what the box does when it cannot send or the message is too long.
public abstract partial class ChatPageTests
{
    /// <summary>The services of page A's server (its stores), to change what it holds behind the page's back.</summary>
    protected abstract IServiceProvider PageAServices { get; }

    [Fact]
    public async Task A_room_with_unread_messages_opens_at_a_new_messages_divider_and_a_button_jumps_to_the_latest()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "busy");
        await SendNumberedAsync(alice, "read", 3);
        await Expect(bob.MessageTexts).ToHaveCountAsync(3);
        await bob.OpenDirectAsync("carol");
        await SendNumberedAsync(alice, "unread", 25);
        var busy = bob.Page.Locator("[data-testid='room-link'][data-room='busy']");
        await Expect(busy.GetByTestId("unread")).ToHaveTextAsync("25");

        await busy.ClickAsync();

        // At the first unread message, under the divider, not at the bottom; what is below is counted on the button.
        var divider = bob.Page.GetByTestId("unread-divider");
        await Expect(divider).ToHaveCountAsync(1);
        await Expect(divider).ToBeInViewportAsync();
        await Expect(bob.Page.Locator("[data-testid='unread-divider'] + li [data-testid='message-text']")).ToHaveTextAsync("unread 1");
        await Expect(Message(bob, "unread 1")).ToBeInViewportAsync();
        await Expect(Message(bob, "unread 25")).Not.ToBeInViewportAsync();
        var jump = bob.Page.GetByTestId("jump-new");
        await Expect(jump).ToBeVisibleAsync();
        await Expect(jump).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ new ↓$"));
        await bob.ScreenshotAsync(Screenshot("unread-divider"));

        await jump.ClickAsync();
        await Expect(Message(bob, "unread 25")).ToBeInViewportAsync();
        await Expect(jump).ToBeHiddenAsync();

        // Scrolled up to read, a new message does not pull the list down: the button says so and jumps to it.
        await bob.Page.Locator("#scroller").EvaluateAsync("s => { s.scrollTop = 0; }");
        await alice.SendAndConfirmAsync("one more");
        await Expect(jump).ToHaveTextAsync("1 new ↓");
        await Expect(Message(bob, "one more")).Not.ToBeInViewportAsync();
        await jump.ClickAsync();
        await Expect(Message(bob, "one more")).ToBeInViewportAsync();
        await Expect(jump).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Another_browser_opens_a_room_at_the_first_message_after_the_users_read_position_on_the_server()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "catchup");
        await SendNumberedAsync(alice, "before", 3);
        await Expect(bob.MessageTexts).ToHaveCountAsync(3);
        // Replying reads what came before: the server keeps Bob's read position (MyRooms), not this browser.
        await bob.SendAndConfirmAsync("seen, thanks");
        // Bob's browser goes away: had it stayed open on the room, it would mark what follows read (it is on screen).
        await bob.Page.CloseAsync();
        await SendNumberedAsync(alice, "after", 25);

        // A browser with nothing stored (another device, which starts at the present: no backlog) opens the room.
        var other = await SignedInAsync(a, "bob");
        await other.Page.Locator("[data-testid='room-link'][data-room='catchup']").ClickAsync();

        await Expect(Message(other, "after 25")).ToHaveCountAsync(1);
        var divider = other.Page.GetByTestId("unread-divider");
        await Expect(divider).ToHaveCountAsync(1);
        await Expect(other.Page.Locator("[data-testid='unread-divider'] + li [data-testid='message-text']")).ToHaveTextAsync("after 1");
        await Expect(divider).ToBeInViewportAsync();
        await Expect(Message(other, "after 25")).Not.ToBeInViewportAsync();
        await Expect(other.Page.GetByTestId("jump-new")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Messages_show_day_separators_group_one_authors_run_and_link_only_web_addresses()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "links");
        const string Hostile = "Docs at https://example.org/guide?a=1&b=2. Not links: javascript:alert(1) " +
            "<img src=x onerror=\"window.pwned=1\"> <a href=\"javascript:window.pwned=2\">click</a> ftp://example.org/file";

        await bob.SendAndConfirmAsync(Hostile);
        await bob.SendAndConfirmAsync("second from bob");
        await alice.SendAndConfirmAsync("from alice");

        var hostile = alice.MessageTexts.First;
        await Expect(hostile).ToHaveTextAsync(Hostile);
        var link = hostile.Locator("a");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveAttributeAsync("href", "https://example.org/guide?a=1&b=2");
        await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await Expect(alice.Page.GetByTestId("messages").Locator("img")).ToHaveCountAsync(0);
        Assert.True(await alice.Page.EvaluateAsync<bool>("() => window.pwned === undefined"));

        // Bob's two messages are one group; Alice's starts her own.
        await Expect(alice.Messages.Nth(0)).Not.ToHaveAttributeAsync("data-grouped", "true");
        await Expect(alice.Messages.Nth(1)).ToHaveAttributeAsync("data-grouped", "true");
        await Expect(alice.Messages.Nth(2)).Not.ToHaveAttributeAsync("data-grouped", "true");
        await Expect(alice.Page.GetByTestId("day-separator")).ToHaveTextAsync(["Today"]);

        // A day later (Alice's clock), Bob leaves: that happened on a new day, and yesterday's messages say so.
        await alice.Page.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddDays(1));
        await bob.Page.Locator("#leave-room").ClickAsync();
        await Expect(alice.Page.GetByTestId("event").Filter(new() { HasText = "bob left" })).ToHaveCountAsync(1);
        await alice.OpenDirectAsync("bob");
        await alice.Page.Locator("[data-testid='room-link'][data-room='links']").ClickAsync();
        await Expect(alice.Page.GetByTestId("day-separator")).ToHaveTextAsync(["Yesterday", "Today"]);
        await Expect(alice.Page.Locator("[data-testid='day-separator'] + li")).ToHaveCountAsync(2);
        await Expect(alice.Page.Locator("[data-testid='day-separator'] + li").Nth(1)).ToContainTextAsync("bob left");
    }

    [Fact]
    public async Task A_notification_payload_is_shown_as_key_value_lines_not_raw_json()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var bob = await SignedInAsync(b, "bob");

        using var response = await PostNotificationAsync(a, new
        {
            to = new { user = "bob" },
            type = "order.shipped",
            payload = new { order = "A-1001", carrier = "DHL", items = new[] { "book", "pen" }, address = new { city = "Oslo" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var payload = bob.Notifications.GetByTestId("payload");
        await Expect(payload.Locator("dt")).ToHaveTextAsync(["order", "carrier", "items", "address"]);
        await Expect(payload.Locator("dd")).ToHaveTextAsync(["A-1001", "DHL", "book, pen", "{\"city\":\"Oslo\"}"]);
        await Expect(payload).Not.ToContainTextAsync("\"order\"");
    }

    [Fact]
    public async Task The_message_box_is_disabled_with_the_reason_after_leaving_and_after_the_room_is_deleted()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "closing");
        var box = bob.Page.GetByLabel("Message", new() { Exact = true });
        var reason = bob.Page.GetByTestId("composer-reason");
        await box.FillAsync("a draft");

        await bob.Page.Locator("#leave-room").ClickAsync();
        await Expect(box).ToBeDisabledAsync();
        await Expect(bob.Page.Locator("#send")).ToBeDisabledAsync();
        await Expect(reason).ToHaveTextAsync("You are not in #closing: join it to send messages.");
        await Expect(box).ToHaveValueAsync("a draft");

        await bob.Page.Locator("#join-current").ClickAsync();
        await Expect(box).ToBeEnabledAsync();
        await Expect(reason).ToBeHiddenAsync();

        alice.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await alice.Page.Locator("#delete-room").ClickAsync();
        await Expect(box).ToBeDisabledAsync();
        await Expect(reason).ToHaveTextAsync("#closing was deleted by its owner: nothing more can be sent here.");
        await Expect(alice.Page.GetByLabel("Message", new() { Exact = true })).ToBeDisabledAsync();
        await bob.ScreenshotAsync(Screenshot("room-deleted-box"));
    }

    [Fact]
    public async Task A_send_to_a_room_the_server_no_longer_has_disables_the_box_with_the_reason_and_keeps_the_message()
    {
        var (a, _) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        await alice.CreateRoomAsync("vanishing");
        // Gone from the store with no RoomDeleted event, as after a restart that lost it: the page learns it by sending.
        await PageAServices.GetRequiredService<IRoomStore>().DeleteAsync(HubNamespace.Chat.Name, "vanishing", "alice");

        await alice.SendAsync("anyone here?");

        await Expect(alice.Error).ToHaveTextAsync("Room 'vanishing' does not exist.");
        var box = alice.Page.GetByLabel("Message", new() { Exact = true });
        await Expect(box).ToBeDisabledAsync();
        await Expect(alice.Page.GetByTestId("composer-reason")).ToHaveTextAsync(
            "#vanishing no longer exists on the server (it may have restarted). Create it again to use it.");
        var failed = alice.Page.GetByTestId("outbox").GetByTestId("outbox-item");
        await Expect(failed).ToContainTextAsync("anyone here?");
        await Expect(failed.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);

        // Created again, the box works, and the refused message can be taken back into it.
        await alice.CreateRoomAsync("vanishing");
        await Expect(box).ToBeEnabledAsync();
        await failed.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(box).ToHaveValueAsync("anyone here?");
        await box.PressAsync("Enter");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["anyone here?"]);
    }

    [Fact]
    public async Task An_over_long_message_is_refused_before_sending_by_its_utf8_byte_count_and_stays_in_the_box()
    {
        var (a, _) = await StartHostsAsync(new Dictionary<string, string?> { ["Limits:MaxTextBytes"] = "64" });
        var context = await NewUserContextAsync(new ViewportSize { Width = 1280, Height = 760 });
        var alice = new ChatPage(await context.NewPageAsync(), a);
        Watch(alice.Page, "alice");
        // Counts the Send invocations the page writes to its hub connection.
        var sends = 0;
        alice.Page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            if (frame.Text?.Contains("\"target\":\"Send\"", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref sends);
            }
        };
        await alice.OpenAsync();
        await alice.SignInAsync("alice");
        await alice.CreateRoomAsync("limits");
        var box = alice.Page.GetByLabel("Message", new() { Exact = true });
        var counter = alice.Page.GetByTestId("byte-count");

        // 22 euro signs are 22 characters but 66 bytes.
        var tooLong = new string('€', 22);
        await box.FillAsync(tooLong);
        await Expect(counter).ToHaveTextAsync("66 / 64 bytes");
        await Expect(counter).ToHaveAttributeAsync("data-state", "over");
        await box.PressAsync("Enter");

        await Expect(alice.Error).ToHaveTextAsync("Message too long: 66 bytes; the limit is 64 bytes. Shorten it and send again.");
        await Expect(box).ToHaveValueAsync(tooLong);
        await Expect(alice.Page.GetByTestId("outbox").Locator("li")).ToHaveCountAsync(0);
        await alice.ScreenshotAsync(Screenshot("over-long-refused"));

        await box.FillAsync(new string('€', 21));
        await Expect(counter).ToHaveTextAsync("63 / 64 bytes");
        await Expect(counter).ToHaveAttributeAsync("data-state", "near");
        await box.PressAsync("Enter");
        await Expect(alice.MessageTexts).ToHaveTextAsync([new string('€', 21)]);
        await Expect(box).ToHaveValueAsync("");
        Assert.Equal(1, Volatile.Read(ref sends));
    }

    [Fact]
    public async Task A_message_the_server_refuses_can_be_put_back_in_the_box_to_change_it()
    {
        var (a, _) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        await alice.OpenDirectAsync("nobody");

        await alice.SendAsync("are you there?");

        await Expect(alice.Error).ToHaveTextAsync("User 'nobody' does not exist.");
        var failed = alice.Page.GetByTestId("outbox").GetByTestId("outbox-item");
        await Expect(failed).ToHaveAttributeAsync("data-status", "failed");
        // Sending the same again cannot succeed, so there is no Retry; Edit puts it back in the box.
        await Expect(failed.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        await failed.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(failed).ToHaveCountAsync(0);
        var box = alice.Page.GetByLabel("Message", new() { Exact = true });
        await Expect(box).ToHaveValueAsync("are you there?");
        await Expect(box).ToBeFocusedAsync();
        await Expect(alice.Error).ToBeEmptyAsync();
    }

    /// <summary>Sends "<paramref name="prefix"/> 1" to "<paramref name="prefix"/> <paramref name="count"/>", each confirmed.</summary>
    private static async Task SendNumberedAsync(ChatPage page, string prefix, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await page.SendAndConfirmAsync($"{prefix} {i}");
        }
    }

    private static ILocator Message(ChatPage page, string text) =>
        page.Messages.Filter(new() { Has = page.Page.GetByText(text, new() { Exact = true }) });
}
