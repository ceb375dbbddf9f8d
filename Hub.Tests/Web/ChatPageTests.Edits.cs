using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

// Edit and delete on the page (web/src/edits.js): live in the other page, after a reload (history), and on reopening
// a page that was closed meanwhile (the backlog).
public abstract partial class ChatPageTests
{
    [Fact]
    public async Task An_author_edits_and_deletes_her_messages_and_the_other_page_shows_it_live_and_after_a_reload()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "edits");
        await alice.SendAndConfirmAsync("helo wrld");
        await alice.SendAndConfirmAsync("oops, wrong room");
        await bob.SendAndConfirmAsync("bob here");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["helo wrld", "oops, wrong room", "bob here"]);

        // Only the author gets Edit; the room's owner (its admin) gets Delete on anyone's message, a member only on theirs.
        await Expect(bob.Messages.Nth(0).GetByTestId("edit-message")).ToHaveCountAsync(0);
        await Expect(bob.Messages.Nth(0).GetByTestId("delete-message")).ToHaveCountAsync(0);
        await Expect(bob.Messages.Nth(2).GetByTestId("edit-message")).ToHaveCountAsync(1);
        await Expect(alice.Messages.Nth(2).GetByTestId("edit-message")).ToHaveCountAsync(0);
        await Expect(alice.Messages.Nth(2).GetByTestId("delete-message")).ToHaveCountAsync(1);

        await alice.Messages.Nth(0).GetByTestId("edit-message").ClickAsync();
        var input = alice.Messages.Nth(0).GetByTestId("edit-input");
        await Expect(input).ToBeFocusedAsync();
        await input.FillAsync("hello world");
        await input.PressAsync("Enter");
        var delete = alice.Messages.Nth(1).GetByTestId("delete-message");
        await delete.ClickAsync();
        await Expect(delete).ToHaveTextAsync("Really delete?");
        await delete.ClickAsync();
        await alice.Messages.Nth(2).GetByTestId("delete-message").ClickAsync();
        await alice.Messages.Nth(2).GetByTestId("delete-message").ClickAsync();

        string[] now = ["hello world", "message deleted", "message deleted"];
        await Expect(bob.MessageTexts).ToHaveTextAsync(now);
        await Expect(alice.MessageTexts).ToHaveTextAsync(now);
        await Expect(bob.Messages.Nth(0).GetByTestId("edited")).ToBeVisibleAsync();
        await Expect(bob.Messages.Nth(1)).ToHaveAttributeAsync("data-deleted", "true");
        await Expect(bob.Messages.Nth(2).GetByTestId("edit-message")).ToHaveCountAsync(0);
        await bob.ScreenshotAsync(Screenshot("edited-and-deleted"));

        // From history after a reload: each message once, as it is now.
        await bob.ExpectAllAckedAsync();
        await bob.Page.ReloadAsync();
        await bob.ExpectConnectedAsync();
        await Expect(bob.MessageTexts).ToHaveTextAsync(now);
        await Expect(bob.Messages.Nth(0).GetByTestId("edited")).ToBeVisibleAsync();
        await Expect(bob.AwayMessageTexts).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_page_closed_while_a_message_was_edited_and_another_deleted_shows_both_when_reopened()
    {
        var (a, b) = await StartHostsAsync(new Dictionary<string, string?>());
        var (alice, bob) = await TwoUsersInRoomAsync(a, b, "away");
        await alice.SendAndConfirmAsync("first draft");
        await alice.SendAndConfirmAsync("secret");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["first draft", "secret"]);
        await bob.ExpectAllAckedAsync();
        var bobContext = bob.Page.Context;
        await bob.Page.CloseAsync();
        await alice.ExpectPresenceAsync("bob", online: false);

        await alice.Messages.Nth(0).GetByTestId("edit-message").ClickAsync();
        await alice.Messages.Nth(0).GetByTestId("edit-input").FillAsync("final text");
        await alice.Messages.Nth(0).GetByTestId("edit-save").ClickAsync();
        await Expect(alice.Messages.Nth(0).GetByTestId("edited")).ToBeVisibleAsync();
        await alice.Messages.Nth(1).GetByTestId("delete-message").ClickAsync();
        await alice.Messages.Nth(1).GetByTestId("delete-message").ClickAsync();
        await Expect(alice.Messages.Nth(1)).ToHaveAttributeAsync("data-deleted", "true");
        await alice.SendAndConfirmAsync("after");

        var reopened = new ChatPage(await bobContext.NewPageAsync(), b);
        await reopened.OpenAsync();
        await reopened.ExpectConnectedAsync();
        await reopened.ExpectConversationAsync("#away");
        await Expect(reopened.MessageTexts).ToHaveTextAsync(["final text", "message deleted", "after"]);
        await Expect(reopened.Messages.Nth(0).GetByTestId("edited")).ToBeVisibleAsync();
        await Expect(reopened.Page.GetByText("secret")).ToHaveCountAsync(0);

        // The edit entries were acked with the messages: a reload is redelivered nothing.
        await reopened.ExpectAllAckedAsync();
        await reopened.Page.ReloadAsync();
        await reopened.ExpectConnectedAsync();
        await Expect(reopened.MessageTexts).ToHaveTextAsync(["final text", "message deleted", "after"]);
        await Expect(reopened.AwayMessageTexts).ToHaveCountAsync(0);
    }
}
