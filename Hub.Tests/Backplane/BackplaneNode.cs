using Hub.Server.Storage.Redis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Hub.Tests.Infrastructure;

namespace Hub.Tests.Backplane;

/// <summary>
/// One node: a real Kestrel server on 127.0.0.1 with an ephemeral port, hosting <see cref="BackplaneTestHub"/> at
/// <c>/backplane</c>. Without Redis settings it uses SignalR's in-memory lifetime manager.
/// </summary>
public sealed class BackplaneNode : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BackplaneNode(WebApplication app, Uri address)
    {
        _app = app;
        HubUrl = new Uri(address, "/backplane");
    }

    public Uri HubUrl { get; }

    public IServiceProvider Services => _app.Services;

    public IHubContext<BackplaneTestHub> HubContext => Services.GetRequiredService<IHubContext<BackplaneTestHub>>();

    /// <summary>A node with SignalR's in-memory manager.</summary>
    public static Task<BackplaneNode> StartInMemoryAsync() => StartAsync(_ => { });

    /// <summary>
    /// A node with the Redis backplane on <paramref name="redisConnectionString"/>, channels prefixed with
    /// <paramref name="prefix"/>; <paramref name="backplane"/> adds <c>Redis:Backplane</c> settings.
    /// </summary>
    public static Task<BackplaneNode> StartRedisAsync(
        string redisConnectionString,
        string prefix,
        IReadOnlyDictionary<string, string?>? backplane = null,
        Action<IServiceCollection>? configureServices = null) =>
        StartAsync(builder =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Redis:Configuration"] = redisConnectionString,
                ["Redis:Prefix"] = prefix,
            };
            foreach (var (key, value) in backplane ?? new Dictionary<string, string?>())
            {
                settings["Redis:Backplane:" + key] = value;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
            builder.Services.AddRedisBackplane();
            // As the server composes it: local sends are written directly by the connection-tracking manager.
            builder.Services.AddHubConnectionTracking();
            configureServices?.Invoke(builder.Services);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<BackplaneNode> StartAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.UseLoopback();
        builder.Services.AddSignalR(options =>
        {
            // AskClient awaits another client's answer inside a hub method: SignalR requires parallel invocations.
            options.MaximumParallelInvocationsPerClient = 4;
            options.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton<IUserIdProvider, QueryStringUserIdProvider>();
        configure(builder);

        var app = builder.Build();
        app.UseWebSockets();
        // A client that stops reading is dropped when a send stalls this long (SignalR's default is 10 s).
        app.MapHub<BackplaneTestHub>("/backplane", options => options.TransportSendTimeout = TimeSpan.FromSeconds(2));
        return new BackplaneNode(app, await app.StartOnLoopbackAsync());
    }
}
