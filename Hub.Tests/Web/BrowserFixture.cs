using System.Collections;
using Microsoft.Playwright;

namespace Hub.Tests.Web;

/// <summary>
/// One headless Chromium (Debian's, at <c>/usr/bin/chromium</c> or <c>$HUB_CHROMIUM</c>) driven by Playwright, shared by
/// every browser test. Never downloads a browser: it launches the system one, with its profile in a temp directory.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>How long an expectation waits for the page (generous for a 2-core CI machine).</summary>
    public static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(20);

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _home;

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <summary>Where the system Chromium is.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("HUB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: run `apt-get install -y chromium` (test.sh does), or set HUB_CHROMIUM.");
        }
        _home = Directory.CreateTempSubdirectory("hub-chromium-").FullName;
        var env = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = entry.Value as string ?? "";
        }
        env["HOME"] = _home;
        env["XDG_CONFIG_HOME"] = Path.Combine(_home, ".config");
        env["XDG_CACHE_HOME"] = Path.Combine(_home, ".cache");

        Assertions.SetDefaultExpectTimeout((float)ExpectTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Env = env,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_home is not null)
        {
            try
            {
                Directory.Delete(_home, recursive: true);
            }
            catch (IOException)
            {
                // The browser may still hold a file for a moment; it is a temp directory.
            }
        }
    }
}

/// <summary>The browser tests share one browser and run one at a time (each runs two pages and a server).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Browser";
}
