using Hub.Tests.Admin;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Hub.Tests.Web;

/// <summary>The operators' admin page (<c>/admin</c>) in headless Chromium against a real embedded server with real traffic.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPageTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Set to a file path to also save the page's screenshot there (e.g. <c>docs/admin.png</c>).</summary>
    public const string ScreenshotEnvironmentVariable = "HUB_ADMIN_SCREENSHOT_PATH";

    private IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_operator_enters_the_key_and_sees_both_nodes_the_room_with_its_members_the_charts_and_redis_within_the_pages_policy()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var cluster = await RedisNodes.StartAsync(redis, 2, AdminApi.Settings());
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await AdminApi.RoomWithAnOfflineMemberAsync(cluster[0], alice, bob, sends: 5);
        var host = cluster[0];
        var page = await NewPageAsync();
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };

        await page.GotoAsync(new Uri(host.BaseAddress, "admin").ToString());
        await page.GetByLabel("Operator key").FillAsync(AdminApi.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        var nodes = page.GetByTestId("node");
        await Expect(nodes).ToHaveCountAsync(2);
        await Expect(nodes.Locator("td:nth-child(3)")).ToHaveTextAsync(["1", "1"]);
        var room = page.GetByTestId("namespace-chat").GetByTestId("room");
        await Expect(room.Locator("td").First).ToHaveTextAsync("general");
        await Expect(room.Locator("td").Nth(1)).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("namespace-chat").GetByTestId("queue").First).ToContainTextAsync("carol");
        await Expect(page.GetByTestId("store")).ToContainTextAsync("reachableyes");
        await Expect(page.GetByTestId("store")).ToContainTextAsync("used memory");
        await Expect(page.GetByTestId("throughput-chart").Locator("polyline.stored")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("resumes-chart").Locator("polyline.resumes")).ToHaveCountAsync(1);
        // Samples close each second: the chart's peak comes from the sends. A room's rate needs a second look at it.
        await Expect(page.GetByTestId("throughput-chart")).Not.ToHaveAttributeAsync("data-max", "1.0");
        await alice.Client.SendToRoomAsync("general", "m5");
        await Expect(room.Locator("td").Nth(2)).ToHaveTextAsync("6");
        await Expect(room.Locator("td").Nth(3)).Not.ToHaveTextAsync("–");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "admin.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        if (Environment.GetEnvironmentVariable(ScreenshotEnvironmentVariable) is { Length: > 0 } docs)
        {
            await page.ScreenshotAsync(new() { Path = docs, FullPage = true });
        }
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_the_form_says_why()
    {
        await using var host = await HubTestHost.StartAsync(AdminApi.Settings());
        var page = await NewPageAsync();

        await page.GotoAsync(new Uri(host.BaseAddress, "admin").ToString());
        await page.GetByLabel("Operator key").FillAsync("not-the-operator-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("Operators only");
        await Expect(page.GetByTestId("nodes")).Not.ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('hub.admin.key')"));
    }

    private async Task<IPage> NewPageAsync()
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var page = await _context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Log($"[console.{message.Type}] {message.Text}");
            }
        };
        page.PageError += (_, error) => Log($"[page error] {error}");
        return page;
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
}
