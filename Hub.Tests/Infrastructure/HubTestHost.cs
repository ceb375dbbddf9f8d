using System.Net.Http.Json;
using Hub.Contracts;
using Hub.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// The real Hub app on real Kestrel, bound to a free loopback port; one per test, disposed with <c>await using</c>.
/// </summary>
public sealed class HubTestHost : IAsyncDisposable
{
    /// <summary>The API key the notification API accepts in tests, as caller <c>tests</c>.</summary>
    public const string ApiKey = "test-api-key-0123456789";

    /// <summary>The token signing key of every test host (a node process of the same cluster needs it too).</summary>
    public const string SigningKey = "hub-tests-signing-key-0123456789abcdef";

    private readonly WebApplication _app;

    private HubTestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>An HTTP client for the app.</summary>
    public HttpClient Http { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app with test defaults plus <paramref name="settings"/> (configuration keys like <c>Limits:MaxTextBytes</c>).</summary>
    /// <param name="settings">Configuration overrides.</param>
    /// <param name="time">The clock, when a test controls time.</param>
    /// <param name="configure">Further changes to the builder (a test's own log provider, say).</param>
    public static async Task<HubTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var app = HubApplication.Build([], builder =>
        {
            builder.UseLoopback();
            var defaults = new Dictionary<string, string?>
            {
                ["Auth:SigningKey"] = SigningKey,
                // Off by default outside Development; the tests sign their users in through it.
                ["Auth:DevTokens"] = "true",
                // Nothing balances load in front of a test host: stopping it need not wait for one to move away.
                ["Shutdown:DrainDelay"] = "00:00:00",
                [$"Notifications:ApiKeys:tests"] = ApiKey,
                // Tests send fast; the rate limits have their own tests with their own settings.
                ["Limits:SendsPerSecond"] = "100000",
                ["Limits:SendBurst"] = "100000",
                ["Limits:RoomChangesPerSecond"] = "100000",
                ["Limits:RoomChangeBurst"] = "100000",
                ["Limits:ReadsPerSecond"] = "100000",
                ["Limits:ReadBurst"] = "100000",
                ["Limits:TypingPerSecond"] = "100000",
                ["Limits:TypingBurst"] = "100000",
            };
            if (time is not null)
            {
                // A clock the test moves by hand would hold a connection inside its write window until the test moved
                // it; tests of the window set it themselves.
                defaults["Delivery:WriteDelay"] = "00:00:00";
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                defaults[key] = value;
            }
            builder.Configuration.AddInMemoryCollection(defaults);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
            configure?.Invoke(builder);
        });
        var host = new HubTestHost(app, await app.StartOnLoopbackAsync());
        return host;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (store reachable, subscriptions in place).</summary>
    public async Task WaitUntilReadyAsync()
    {
        var health = Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        await Poll.UntilAsync(async token => (await health.CheckHealthAsync(c => c.Tags.Contains("ready"), token)).Status
            == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, "the node is ready");
    }

    /// <summary>Gets a dev token for <paramref name="user"/>.</summary>
    public Task<string> TokenAsync(string user) => DevTokens.RequestAsync(Http, user);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
