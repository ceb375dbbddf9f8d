using System.Collections.Concurrent;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Client;

/// <summary>The HTTP hooks of <see cref="HubClientOptions"/>, seen from the real server's side of the wire.</summary>
public sealed class ConnectionHooksTests
{
    [Fact]
    public async Task Headers_reach_negotiation_and_the_websocket_upgrade_and_websocket_configuration_the_upgrade()
    {
        var recorder = new RequestRecorder();
        await using var host = await HubTestHost.StartAsync(configure: builder => builder.Services.AddSingleton<IStartupFilter>(recorder));

        await using var gina = await host.ChatAsync("gina", o =>
        {
            o.Headers["X-Hub-Test"] = "every request";
            o.WebSocketConfiguration = webSocket => webSocket.SetRequestHeader("X-Hub-WebSocket", "configured");
        });

        var hub = HubPaths.Chat;
        var negotiate = Assert.Single(recorder.Requests, r => r.Path == $"{hub}/negotiate");
        var upgrade = Assert.Single(recorder.Requests, r => r.Path == hub && r.IsWebSocket);
        Assert.Equal("every request", negotiate.Headers.GetValueOrDefault("X-Hub-Test"));
        Assert.Equal("every request", upgrade.Headers.GetValueOrDefault("X-Hub-Test"));
        Assert.Equal("configured", upgrade.Headers.GetValueOrDefault("X-Hub-WebSocket"));
        Assert.False(negotiate.Headers.ContainsKey("X-Hub-WebSocket"));
    }

    [Fact]
    public async Task Every_http_request_of_a_long_polling_connection_goes_through_the_handler_factory()
    {
        await using var host = await HubTestHost.StartAsync();
        var seen = new ConcurrentQueue<string>();

        // A new handler per connection: the official client disposes the one it was given when the connection ends.
        await using var hank = await host.ChatAsync("hank", o =>
        {
            o.Transports = HubTransports.LongPolling;
            o.HttpMessageHandlerFactory = inner => new RecordingHandler(inner, seen);
        });
        await hank.Client.SendToUserAsync("hank", "polled").OrTimeout();
        await hank.WaitForMessageAsync("polled");

        var hub = new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/')).AbsolutePath;
        Assert.Contains($"POST {hub}/negotiate", seen);
        Assert.Contains($"GET {hub}", seen);   // polls
        Assert.Contains($"POST {hub}", seen);  // sends
    }

    /// <summary>Records the method and path of each request it passes on.</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner, ConcurrentQueue<string> seen) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>First in the server's pipeline: keeps the path and headers of every request.</summary>
    private sealed class RequestRecorder : IStartupFilter
    {
        public ConcurrentQueue<(string Path, bool IsWebSocket, Dictionary<string, string> Headers)> Requests { get; } = new();

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                Requests.Enqueue((context.Request.Path, string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase), headers));
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
