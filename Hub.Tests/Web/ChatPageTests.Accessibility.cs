using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

// What the page is like with a screen reader and the keyboard: what is announced, where focus starts, and axe-core's
// checks (colour contrast, names, roles) on the signed-in page.
public abstract partial class ChatPageTests
{
    /// <summary>axe-core's impacts that fail the check.</summary>
    private static readonly string[] s_failingImpacts = ["serious", "critical"];

    [Theory]
    [InlineData(1280, 760)]
    [InlineData(390, 844)]
    public async Task The_signed_in_page_has_no_serious_accessibility_violations(int width, int height)
    {
        var (a, _) = await StartHostsAsync(new Dictionary<string, string?>());
        // axe is injected as a script, which the page's content security policy rightly refuses: this context ignores it.
        var context = await NewUserContextAsync(new ViewportSize { Width = width, Height = height }, bypassCsp: true);
        var alice = new ChatPage(await context.NewPageAsync(), a);
        Watch(alice.Page, "alice");
        await alice.OpenAsync();
        await alice.SignInAsync("alice");
        await alice.CreateRoomAsync("a11y");
        await alice.SendAndConfirmAsync("See https://example.org for the agenda.");
        await alice.SendAndConfirmAsync("And a second line from me.");
        using var response = await PostNotificationAsync(a, new { to = new { user = "alice" }, type = "build.done", payload = new { build = 42, status = "green" } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Expect(alice.Notifications).ToHaveCountAsync(1);
        await alice.Page.AddScriptTagAsync(new() { Path = Repository.Path("web", "node_modules", "axe-core", "axe.min.js") });

        var problems = new List<string>();
        var panes = width < 760 ? new[] { "Rooms", "Chat", "People & alerts" } : [""];
        foreach (var pane in panes)
        {
            if (pane.Length > 0)
            {
                await alice.Page.GetByRole(AriaRole.Button, new() { Name = pane, Exact = pane == "Chat" }).ClickAsync();
            }
            problems.AddRange((await AxeViolationsAsync(alice.Page)).Select(v => $"{pane}: {v}"));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Screen_readers_hear_each_new_message_once_and_neither_room_switches_nor_the_retry_countdown()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var context = await NewUserContextAsync(new ViewportSize { Width = 1280, Height = 760 });
        var alice = new ChatPage(await context.NewPageAsync(), a);
        Watch(alice.Page, "alice");
        await alice.OpenAsync();
        await alice.SignInAsync("alice");
        // Signed in with nothing open: focus is on the room name field, not the body.
        await Expect(alice.Page.GetByLabel("Room name")).ToBeFocusedAsync();
        var bob = await SignedInAsync(b, "bob");
        await alice.CreateRoomAsync("quiet");
        await alice.SendAndConfirmAsync("first in quiet");
        await alice.CreateRoomAsync("loud");
        await bob.JoinRoomAsync("loud");
        await alice.ExpectPresenceAsync("bob", online: true);

        // Nothing is read out while switching rooms (the message list is not a live region), ...
        await RecordLiveRegionsAsync(alice.Page);
        foreach (var room in new[] { "quiet", "loud", "quiet", "loud" })
        {
            await alice.Page.Locator($"[data-testid='room-link'][data-room='{room}']").ClickAsync();
            await alice.ExpectConversationAsync($"#{room}");
        }
        Assert.Empty(await LiveRegionChangesAsync(alice.Page));
        Assert.Null(await alice.Page.GetByTestId("messages").GetAttributeAsync("aria-live"));

        // ... and a new message from someone else is, once, politely.
        await bob.SendAndConfirmAsync("hello alice");
        await Expect(alice.Page.GetByTestId("announcer")).ToHaveTextAsync("bob: hello alice");
        Assert.Equal(["announcer:bob: hello alice"], await LiveRegionChangesAsync(alice.Page));
        Assert.Equal("polite", await alice.Page.GetByTestId("announcer").GetAttributeAsync("aria-live"));

        // Offline (after a few failed attempts): the countdown ticks every second beside the live region, which says
        // nothing more while it does. (The network
        // is routed away from the chat hub as in the queued-message test: offline emulation leaves WebSockets alone.)
        var networkDown = true;
        await alice.Page.RouteAsync(new Regex("/hubs/chat"), route =>
            Volatile.Read(ref networkDown) ? route.AbortAsync("internetdisconnected") : route.ContinueAsync());
        await alice.Page.RouteWebSocketAsync(new Regex("/hubs/chat"), socket =>
        {
            if (Volatile.Read(ref networkDown))
            {
                _ = socket.CloseAsync(new() { Code = 1006, Reason = "network down" });
            }
            else
            {
                socket.ConnectToServer();
            }
        });
        Assert.Equal(1, DropChatConnectionsOnPageA("alice"));
        await Expect(alice.Banner).ToHaveAttributeAsync("data-state", "offline");
        await RecordLiveRegionsAsync(alice.Page);
        await alice.Page.EvaluateAsync(@"() => {
            window.countdowns = new Set();
            const countdown = document.getElementById('banner-countdown');
            new MutationObserver(() => window.countdowns.add(countdown.textContent))
                .observe(countdown, { childList: true, subtree: true, characterData: true });
        }");
        await alice.Page.WaitForFunctionAsync("() => window.countdowns.size >= 3", null, new() { Timeout = (float)BrowserFixture.ExpectTimeout.TotalMilliseconds });
        await Expect(alice.Banner).ToHaveAttributeAsync("data-state", "offline");
        Assert.Empty(await LiveRegionChangesAsync(alice.Page));

        Volatile.Write(ref networkDown, false);
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await alice.ExpectConnectedAsync();

        // Reopened with a conversation open: focus is in the message box.
        await alice.ExpectAllAckedAsync();
        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await Expect(alice.Page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
    }

    /// <summary>Starts recording every change inside the page's live regions (as <c>id:text</c>).</summary>
    private static Task RecordLiveRegionsAsync(IPage page) => page.EvaluateAsync(@"() => {
        window.liveChanges = [];
        for (const region of document.querySelectorAll('[aria-live]')) {
            new MutationObserver(() => window.liveChanges.push(`${region.id}:${region.textContent}`))
                .observe(region, { childList: true, subtree: true, characterData: true });
        }
    }");

    private static Task<string[]> LiveRegionChangesAsync(IPage page) => page.EvaluateAsync<string[]>("() => window.liveChanges");

    /// <summary>Runs axe-core (injected already) on the page; returns its serious and critical violations, one line each.</summary>
    private static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        var violations = await page.EvaluateAsync<JsonElement>(@"async () => (await axe.run(document, { resultTypes: ['violations'] }))
            .violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))");
        return [.. violations.EnumerateArray()
            .Where(v => s_failingImpacts.Contains(v.GetProperty("impact").GetString()))
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at "
                + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))];
    }
}
