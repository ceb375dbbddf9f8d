using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

/// <summary>The chat page as a user sees it: what the tests click, type and read (by label, role and test id).</summary>
public sealed class ChatPage(IPage page, Uri address)
{
    /// <summary>The Playwright page.</summary>
    public IPage Page { get; } = page;

    /// <summary>The address the page was opened at.</summary>
    public Uri Address { get; } = address;

    /// <summary>The connection banner.</summary>
    public ILocator Banner => Page.GetByTestId("connection");

    /// <summary>Texts of the current conversation's messages, oldest first.</summary>
    public ILocator MessageTexts => Page.GetByTestId("messages").GetByTestId("message-text");

    /// <summary>The current conversation's messages.</summary>
    public ILocator Messages => Page.GetByTestId("messages").GetByTestId("message");

    /// <summary>Texts of the messages marked as having arrived while away.</summary>
    public ILocator AwayMessageTexts => Page.GetByTestId("messages").Locator("[data-redelivered='true'] [data-testid='message-text']");

    /// <summary>The error line under the conversation.</summary>
    public ILocator Error => Page.GetByTestId("error");

    /// <summary>One member of the current room.</summary>
    public ILocator Member(string user) => Page.GetByTestId("members").Locator($"[data-testid='member'][data-user='{user}']");

    /// <summary>The notifications panel's entries.</summary>
    public ILocator Notifications => Page.GetByTestId("notifications").GetByTestId("notification");

    /// <summary>Opens the page (signed in already when the browser context has a session).</summary>
    public async Task OpenAsync()
    {
        await Page.GotoAsync(Address.ToString());
    }

    /// <summary>Signs in and waits until the page is connected (the backlog has been redelivered).</summary>
    public async Task SignInAsync(string user)
    {
        await Page.GetByLabel("Your name").FillAsync(user);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByTestId("me")).ToHaveTextAsync(user);
        await ExpectConnectedAsync();
    }

    /// <summary>Waits for the banner to say connected.</summary>
    public async Task ExpectConnectedAsync()
    {
        await Expect(Banner).ToHaveAttributeAsync("data-state", "connected");
    }

    /// <summary>Creates a room, which opens it.</summary>
    public async Task CreateRoomAsync(string room)
    {
        await Page.GetByLabel("Room name").FillAsync(room);
        await Page.Locator("#room-form").GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await ExpectConversationAsync($"#{room}");
    }

    /// <summary>Joins a room by name, which opens it.</summary>
    public async Task JoinRoomAsync(string room)
    {
        await Page.GetByLabel("Room name").FillAsync(room);
        await Page.Locator("#room-form").GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await ExpectConversationAsync($"#{room}");
    }

    /// <summary>Opens one of the user's rooms from the room list.</summary>
    public async Task OpenRoomAsync(string room)
    {
        await Page.GetByTestId("my-rooms").Locator($"[data-room='{room}']").ClickAsync();
        await ExpectConversationAsync($"#{room}");
    }

    /// <summary>Opens the direct conversation with a user.</summary>
    public async Task OpenDirectAsync(string user)
    {
        await Page.GetByLabel("Message a user").FillAsync(user);
        await Page.Locator("#dm-form").GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await ExpectConversationAsync($"@{user}");
    }

    /// <summary>Waits for the open conversation's title.</summary>
    public async Task ExpectConversationAsync(string title)
    {
        await Expect(Page.GetByTestId("conversation-title")).ToHaveTextAsync(title);
    }

    /// <summary>Types a message and presses Enter.</summary>
    public async Task SendAsync(string text)
    {
        var box = Page.GetByLabel("Message", new() { Exact = true });
        await box.FillAsync(text);
        await box.PressAsync("Enter");
    }

    /// <summary>Sends a message and waits until the server has confirmed it (it shows among the messages).</summary>
    public async Task SendAndConfirmAsync(string text)
    {
        await SendAsync(text);
        await Expect(Messages.Filter(new() { HasText = text })).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("outbox").Locator("li")).ToHaveCountAsync(0);
    }

    /// <summary>Waits until the server has confirmed every ack the page sent (so closing the page loses none).</summary>
    public async Task ExpectAllAckedAsync()
    {
        await Expect(Page.Locator("#app")).ToHaveAttributeAsync("data-unacked", "0");
    }

    /// <summary>Waits for a member's presence in the current room.</summary>
    public async Task ExpectPresenceAsync(string user, bool online)
    {
        var member = Member(user);
        await Expect(member).ToHaveAttributeAsync("data-online", online ? "true" : "false");
        await Expect(member).ToContainTextAsync(online ? "online" : "offline");
    }

    /// <summary>Saves a screenshot of the whole page.</summary>
    public async Task ScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }
}
