using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

/// <summary>
/// The chat page in a real browser against a real server: two users, each in their own browser context (so each has
/// their own stored session), on page A and page B. Subclasses say where the pages come from: one in-memory server for
/// both, or two nodes of a cluster (page A on one node, page B on the other).
/// </summary>
public abstract partial class ChatPageTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Set to a file path to also save the main screenshot there (e.g. <c>docs/screenshot.png</c>).</summary>
    public const string ScreenshotEnvironmentVariable = "HUB_SCREENSHOT_PATH";

    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>Where screenshots of the main states are written.</summary>
    protected static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>A name for this kind of hosting, used in screenshot file names.</summary>
    protected abstract string HostingName { get; }

    /// <summary>
    /// Starts the server(s) with <paramref name="settings"/> added to the test defaults, registers them with
    /// <see cref="DisposeWithTest"/>, and returns the base address for page A and for page B (the same for one server).
    /// </summary>
    protected abstract Task<(Uri PageA, Uri PageB)> StartHostsAsync(IReadOnlyDictionary<string, string?> settings);

    /// <summary>Closes <paramref name="user"/>'s chat connections on page A's server, as a network failure would.</summary>
    /// <returns>How many were closed.</returns>
    protected abstract int DropChatConnectionsOnPageA(string user);

    /// <summary>Sends a notification through the HTTP API of the server at <paramref name="baseAddress"/>.</summary>
    protected virtual async Task<HttpResponseMessage> PostNotificationAsync(Uri baseAddress, object body)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/notifications") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);
        return await http.SendAsync(request);
    }

    /// <summary>Disposes <paramref name="disposable"/> when the test ends (after the browser contexts).</summary>
    protected void DisposeWithTest(IAsyncDisposable disposable) => _disposables.Add(disposable);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_users_in_two_pages_chat_in_a_room()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "lobby");

        await alice.SendAndConfirmAsync("Hi Bob! Did the order ship?");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["Hi Bob! Did the order ship?"]);
        await bob.SendAndConfirmAsync("Yes, it left this morning.");
        await alice.SendAndConfirmAsync("Great, thanks!");

        string[] conversation = ["Hi Bob! Did the order ship?", "Yes, it left this morning.", "Great, thanks!"];
        await Expect(alice.MessageTexts).ToHaveTextAsync(conversation);
        await Expect(bob.MessageTexts).ToHaveTextAsync(conversation);
        await Expect(bob.Messages.Nth(0)).ToHaveAttributeAsync("data-from", "alice");
        await Expect(alice.Messages.Nth(1)).ToHaveAttributeAsync("data-from", "bob");
        await Expect(alice.Messages.Locator("time")).ToHaveCountAsync(3);
        await alice.ExpectPresenceAsync("bob", online: true);
        await bob.ExpectPresenceAsync("alice", online: true);
        await Expect(alice.AwayMessageTexts).ToHaveCountAsync(0);

        await alice.ScreenshotAsync(Screenshot("chat-alice"));
        await bob.ScreenshotAsync(Screenshot("chat-bob"));
        if (Environment.GetEnvironmentVariable(ScreenshotEnvironmentVariable) is { Length: > 0 } docs)
        {
            await alice.ScreenshotAsync(docs);
        }
    }

    [Fact]
    public async Task The_page_keeps_to_its_content_security_policy_and_reaches_its_hub_over_a_websocket()
    {
        var (a, _) = await StartHostsAsync(new Dictionary<string, string?>());
        var context = await NewUserContextAsync(new ViewportSize { Width = 1280, Height = 760 });
        var page = new ChatPage(await context.NewPageAsync(), a);
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var sockets = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };
        page.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);

        await page.OpenAsync();
        await page.SignInAsync("alice");
        await page.ExpectConnectedAsync();

        // A WebSocket the policy forbids is never opened (the page would fall back to another transport).
        Assert.Contains(sockets, url => url.Contains("/hubs/chat", StringComparison.Ordinal));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Presence_changes_when_one_page_closes()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "presence");
        await alice.ExpectPresenceAsync("bob", online: true);

        await bob.Page.CloseAsync();

        await alice.ExpectPresenceAsync("bob", online: false);
        await alice.ExpectPresenceAsync("alice", online: true);
        await alice.ScreenshotAsync(Screenshot("presence-offline"));
    }

    [Fact]
    public async Task The_closed_users_page_is_reopened_after_messages_were_sent_and_shows_every_missed_message_marked_in_order()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "standup");
        await alice.SendAndConfirmAsync("before you left");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["before you left"]);
        await bob.ExpectAllAckedAsync();

        var bobContext = bob.Page.Context;
        await bob.Page.CloseAsync();
        await alice.ExpectPresenceAsync("bob", online: false);
        string[] missed = ["missed 1", "missed 2", "missed 3", "missed 4", "missed 5"];
        foreach (var text in missed)
        {
            await alice.SendAndConfirmAsync(text);
        }

        // Reopened: still signed in (stored session), back in the same room, the missed messages marked and in order.
        var reopened = new ChatPage(await bobContext.NewPageAsync(), b);
        Watch(reopened.Page, "bob (reopened)");
        await reopened.OpenAsync();
        await reopened.ExpectConnectedAsync();
        await reopened.ExpectConversationAsync("#standup");
        await Expect(reopened.MessageTexts).ToHaveTextAsync(["before you left", .. missed]);
        await Expect(reopened.AwayMessageTexts).ToHaveTextAsync(missed);
        await Expect(reopened.Messages.Nth(0)).ToHaveAttributeAsync("data-redelivered", "false");
        await Expect(reopened.Page.Locator(".away-tag").First).ToBeVisibleAsync();
        await alice.ExpectPresenceAsync("bob", online: true);
        await reopened.ScreenshotAsync(Screenshot("reopened-missed-messages"));

        // Acked: a reload shows each message once and nothing as missed any more.
        await reopened.ExpectAllAckedAsync();
        await reopened.Page.ReloadAsync();
        await reopened.ExpectConnectedAsync();
        await Expect(reopened.MessageTexts).ToHaveTextAsync(["before you left", .. missed]);
        await Expect(reopened.AwayMessageTexts).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_second_browser_of_the_same_user_gets_as_missed_what_the_first_one_already_read()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "sync");
        // Bob's other browser (its own storage, so its own device id) opens the room once, then closes.
        var other = await SignedInAsync(a, "bob");
        var sockets = new System.Collections.Concurrent.ConcurrentQueue<string>();
        other.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        await other.JoinRoomAsync("sync");
        await other.ExpectConnectedAsync();
        var otherContext = other.Page.Context;
        await other.Page.CloseAsync();

        string[] sent = ["read on the first 1", "read on the first 2", "read on the first 3"];
        foreach (var text in sent)
        {
            await alice.SendAndConfirmAsync(text);
        }
        await Expect(bob.MessageTexts).ToHaveTextAsync(sent);
        await bob.ExpectAllAckedAsync();

        // The other browser is another device: what the first acknowledged is still redelivered to it, marked missed.
        var reopened = new ChatPage(await otherContext.NewPageAsync(), a);
        Watch(reopened.Page, "bob (other browser)");
        reopened.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        await reopened.OpenAsync();
        await reopened.ExpectConnectedAsync();
        await reopened.ExpectConversationAsync("#sync");
        await Expect(reopened.AwayMessageTexts).ToHaveTextAsync(sent);
        // Both times the same device id, generated once in this browser and kept.
        var devices = sockets.Where(url => url.Contains("/hubs/chat", StringComparison.Ordinal))
            .Select(url => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["device"]).Distinct().ToList();
        Assert.Matches("^web-[0-9a-f]{24}$", Assert.Single(devices));
    }

    [Fact]
    public async Task A_direct_message_reaches_the_other_user_and_only_them()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var alice = await SignedInAsync(a, "alice");
        var bob = await SignedInAsync(b, "bob");
        var carol = await SignedInAsync(b, "carol");

        await alice.OpenDirectAsync("bob");
        await alice.SendAndConfirmAsync("psst, just between us");

        var fromAlice = bob.Page.GetByTestId("dm-list").Locator("[data-testid='dm-link'][data-peer='alice']");
        await Expect(fromAlice.GetByTestId("unread")).ToHaveTextAsync("1");
        await fromAlice.ClickAsync();
        await bob.ExpectConversationAsync("@alice");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["psst, just between us"]);
        await Expect(bob.Messages.Nth(0)).ToHaveAttributeAsync("data-from", "alice");
        await bob.SendAndConfirmAsync("got it");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["psst, just between us", "got it"]);
        await bob.ScreenshotAsync(Screenshot("direct-message"));

        await Expect(carol.Page.GetByTestId("dm-list").Locator("[data-testid='dm-link']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_notification_sent_through_the_HTTP_API_appears()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var bob = await SignedInAsync(b, "bob");

        using var response = await PostNotificationAsync(a, new
        {
            to = new { user = "bob" },
            type = "order.shipped",
            payload = new { order = "A-1001", carrier = "DHL" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();

        var notification = bob.Notifications.And(bob.Page.Locator("[data-type='order.shipped']"));
        await Expect(notification).ToHaveCountAsync(1);
        await Expect(notification).ToHaveAttributeAsync("data-id", accepted.GetProperty("id").GetString()!);
        await Expect(notification).ToContainTextAsync("order.shipped");
        await Expect(notification).ToContainTextAsync("A-1001");
        await Expect(notification).ToContainTextAsync("tests");
        await bob.ScreenshotAsync(Screenshot("notification"));
    }

    [Fact]
    public async Task A_message_sent_while_the_connection_is_down_is_shown_queued_and_delivered_once_it_is_back()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "lobby");

        // The network goes away under a live connection: the server side closes it, as a failure would, and until the
        // network is back every new chat WebSocket the page opens is closed at once and every chat HTTP request
        // (negotiate, and the client's fallback transports) fails. Chromium's offline emulation does not touch
        // WebSockets, so the page's traffic is routed instead.
        var networkDown = true;
        await alice.Page.RouteAsync(new System.Text.RegularExpressions.Regex("/hubs/chat"), async route =>
        {
            if (Volatile.Read(ref networkDown))
            {
                await route.AbortAsync("internetdisconnected");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await alice.Page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/chat"), socket =>
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
        await Expect(alice.Banner).Not.ToHaveAttributeAsync("data-state", "connected");

        await alice.SendAsync("sent while away");
        var pending = alice.Page.GetByTestId("outbox").GetByTestId("outbox-item");
        await Expect(pending).ToHaveAttributeAsync("data-status", "queued");
        await Expect(pending).ToContainTextAsync("Queued");
        await Expect(alice.Banner).ToContainTextAsync("Your unsent messages are queued.");
        // Presence cannot update while disconnected: the members list says it is as last seen.
        await Expect(alice.Page.GetByTestId("members")).ToHaveAttributeAsync("data-stale", "true");
        await Expect(alice.Page.Locator("#members-count")).ToContainTextAsync("when last connected");
        await alice.ScreenshotAsync(Screenshot("queued-while-offline"));

        // Back: the user asks to retry now (the page would on its own within its backoff); it sends what it queued, once.
        Volatile.Write(ref networkDown, false);
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await alice.ExpectConnectedAsync();
        await Expect(bob.MessageTexts).ToHaveTextAsync(["sent while away"]);
        await Expect(alice.MessageTexts).ToHaveTextAsync(["sent while away"]);
        await Expect(pending).ToHaveCountAsync(0);
        await Expect(alice.Page.GetByTestId("members")).ToHaveAttributeAsync("data-stale", "false");
        await bob.SendAndConfirmAsync("welcome back");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["sent while away", "welcome back"]);
    }

    [Fact]
    public async Task A_message_whose_answer_was_lost_is_sent_again_with_its_key_and_shown_once_everywhere()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "lobby");

        // Between alice's page and the server: every Send frame's key is noted, and the server's answer to the first
        // Send is lost with the connection (the server has stored the message by then).
        var keys = new System.Collections.Concurrent.ConcurrentQueue<string>();
        string? sendInvocation = null;
        var answerLost = 0;
        await alice.Page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/chat"), socket =>
        {
            var server = socket.ConnectToServer();
            socket.OnMessage(frame =>
            {
                foreach (var message in Messages(frame.Text))
                {
                    if (message.TryGetProperty("target", out var target) && target.GetString() == "Send")
                    {
                        keys.Enqueue(message.GetProperty("arguments")[0].GetProperty("key").GetString()!);
                        Interlocked.CompareExchange(ref sendInvocation, message.GetProperty("invocationId").GetString(), null);
                    }
                }
                server.Send(frame.Text!);
            });
            server.OnMessage(frame =>
            {
                // The handshake answer ({}) has no type.
                var answer = Messages(frame.Text).Any(m => m.TryGetProperty("type", out var type) && type.GetInt32() == 3
                    && m.TryGetProperty("invocationId", out var id) && id.GetString() == Volatile.Read(ref sendInvocation));
                if (answer && Interlocked.Exchange(ref answerLost, 1) == 0)
                {
                    _ = socket.CloseAsync(new() { Code = 1006, Reason = "answer lost" });
                    _ = server.CloseAsync();
                    return;
                }
                socket.Send(frame.Text!);
            });
        });
        Assert.Equal(1, DropChatConnectionsOnPageA("alice"));
        await alice.ExpectConnectedAsync();

        await alice.SendAsync("said once");

        await Expect(bob.MessageTexts).ToHaveTextAsync(["said once"]);
        await Expect(alice.Page.GetByTestId("outbox").GetByTestId("outbox-item")).ToHaveCountAsync(0);
        await Expect(alice.MessageTexts).ToHaveTextAsync(["said once"]);
        Assert.Equal(1, Volatile.Read(ref answerLost));
        Assert.Equal(2, keys.Count);
        Assert.Single(keys.Distinct());
        await bob.SendAndConfirmAsync("marker");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["said once", "marker"]);
        await Expect(bob.MessageTexts).ToHaveTextAsync(["said once", "marker"]);

        static IEnumerable<JsonElement> Messages(string? frame) => (frame ?? "").Split('\u001e', StringSplitOptions.RemoveEmptyEntries)
            .Select(m => JsonDocument.Parse(m).RootElement);
    }

    [Fact]
    public async Task The_page_works_at_phone_width_with_the_keyboard()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var bob = await SignedInAsync(b, "bob");
        var context = await NewUserContextAsync(new ViewportSize { Width = 390, Height = 800 });
        var phone = new ChatPage(await context.NewPageAsync(), a);
        Watch(phone.Page, "alice (phone)");
        await phone.OpenAsync();

        // Sign in with the keyboard only: the name field has focus, Enter submits.
        await Expect(phone.Page.GetByLabel("Your name")).ToBeFocusedAsync();
        await phone.Page.Keyboard.TypeAsync("alice");
        await phone.Page.Keyboard.PressAsync("Enter");
        await phone.ExpectConnectedAsync();

        // One pane at a time, switched with the tabs: with no conversation yet the rooms show first.
        var roomName = phone.Page.GetByLabel("Room name");
        await Expect(roomName).ToBeVisibleAsync();
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Chat", Exact = true }).FocusAsync();
        await phone.Page.Keyboard.PressAsync("Enter");
        await Expect(roomName).ToBeHiddenAsync();
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Rooms" }).FocusAsync();
        await phone.Page.Keyboard.PressAsync("Enter");
        await Expect(roomName).ToBeVisibleAsync();
        await roomName.FocusAsync();
        await phone.Page.Keyboard.TypeAsync("pocket");
        await phone.Page.Keyboard.PressAsync("Tab");
        await phone.Page.Keyboard.PressAsync("Tab");
        await Expect(phone.Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true })).ToBeFocusedAsync();
        await phone.Page.Keyboard.PressAsync("Enter");
        await phone.ExpectConversationAsync("#pocket");
        await Expect(phone.Page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();

        await bob.JoinRoomAsync("pocket");
        await phone.Page.Keyboard.TypeAsync("typed on a phone");
        await phone.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["typed on a phone"]);
        await Expect(phone.MessageTexts).ToHaveTextAsync(["typed on a phone"]);

        // Nothing wider than the screen.
        Assert.True(await phone.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await phone.ScreenshotAsync(Screenshot("phone-chat"));
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "People & alerts" }).ClickAsync();
        await phone.ExpectPresenceAsync("bob", online: true);
        await phone.ScreenshotAsync(Screenshot("phone-people"));
    }

    /// <summary>Alice creates <paramref name="room"/> on page A, Bob joins it on page B; both see each other online.</summary>
    private async Task<(ChatPage Alice, ChatPage Bob)> TwoUsersInRoomAsync(Uri a, Uri b, string room)
    {
        var alice = await SignedInAsync(a, "alice");
        var bob = await SignedInAsync(b, "bob");
        await alice.CreateRoomAsync(room);
        await bob.JoinRoomAsync(room);
        await alice.ExpectPresenceAsync("bob", online: true);
        await Expect(alice.Page.GetByTestId("event").Filter(new() { HasText = "bob joined" })).ToHaveCountAsync(1);
        await bob.ExpectPresenceAsync("alice", online: true);
        return (alice, bob);
    }

    /// <summary>A new browser context (its own storage: one user) with the page open and signed in.</summary>
    private async Task<ChatPage> SignedInAsync(Uri address, string user)
    {
        var context = await NewUserContextAsync(new ViewportSize { Width = 1280, Height = 760 });
        var page = new ChatPage(await context.NewPageAsync(), address);
        Watch(page.Page, user);
        await page.OpenAsync();
        await page.SignInAsync(user);
        return page;
    }

    /// <summary>A new browser context: its own storage, so one user. <paramref name="bypassCsp"/> lets a test inject scripts.</summary>
    private async Task<IBrowserContext> NewUserContextAsync(ViewportSize viewport, bool bypassCsp = false)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport,
            Locale = "en-US",
            TimezoneId = "UTC",
            BypassCSP = bypassCsp,
        });
        _contexts.Add(context);
        return context;
    }

    /// <summary>Copies the page's console errors and failed requests to the test output, for diagnosing a failure.</summary>
    private void Watch(IPage page, string who)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"[{who} console.{message.Type}] {message.Text}");
            }
        };
        page.PageError += (_, error) => Log($"[{who} page error] {error}");
    }

    private void Log(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; the line is of no use any more.
        }
    }

    private string Screenshot(string name) => Path.Combine(ScreenshotDirectory, $"{HostingName}-{name}.png");
}

/// <summary>The browser tests against one in-memory server: page A and page B are the same server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InMemoryChatPageTests(BrowserFixture browser, ITestOutputHelper output) : ChatPageTests(browser, output)
{
    protected override string HostingName => "in-memory";

    private HubTestHost? _host;

    protected override async Task<(Uri PageA, Uri PageB)> StartHostsAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var host = await HubTestHost.StartAsync(settings);
        DisposeWithTest(host);
        _host = host;
        return (host.BaseAddress, host.BaseAddress);
    }

    protected override int DropChatConnectionsOnPageA(string user) => _host!.AbortConnectionsOf(user);

    protected override IServiceProvider PageAServices => _host!.Services;
}
