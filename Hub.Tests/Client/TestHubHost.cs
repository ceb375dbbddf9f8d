using System.Net.WebSockets;
using System.Text;
using Hub.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an ephemeral port, hosting <see cref="ProtocolTestHub"/> at
/// <c>/protocol</c>, <see cref="HubPaths.Chat"/> and <see cref="HubPaths.Notifications"/>, plus a raw WebSocket
/// endpoint at <c>/raw/hubs/chat</c> that answers the handshake with an error.
/// </summary>
public sealed class TestHubHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHubHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:51234</c>.</summary>
    public Uri Address { get; }

    /// <summary>What the hub saw.</summary>
    public TestHubState State => _app.Services.GetRequiredService<TestHubState>();

    /// <summary>The URL of <paramref name="path"/> on this host.</summary>
    public Uri Url(string path) => new(Address, path);

    /// <summary>Starts a host; <paramref name="configureHub"/> adjusts SignalR's hub options.</summary>
    public static async Task<TestHubHost> StartAsync(Action<HubOptions>? configureHub = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.UseLoopback();
        builder.Services.AddSingleton<TestHubState>();
        builder.Services.AddSignalR(options => configureHub?.Invoke(options));

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var state = context.RequestServices.GetRequiredService<TestHubState>();
            if (state.RejectConnections && context.Request.Path.StartsWithSegments("/hubs"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            if (context.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true && state.TakeNegotiation())
            {
                // Negotiated "elsewhere": SignalR here answers the WebSocket for this token with 404.
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""
                    {"negotiateVersion":1,"connectionId":"elsewhere","connectionToken":"negotiated-on-another-node",
                     "availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]}]}
                    """);
                return;
            }

            await next(context);
        });
        app.UseWebSockets();
        app.MapHub<ProtocolTestHub>("/protocol");
        app.MapHub<ProtocolTestHub>(HubPaths.Chat);
        app.MapHub<ProtocolTestHub>(HubPaths.Notifications);

        // A server that rejects the handshake, as one without the requested protocol does.
        MapRaw(app, "/raw" + HubPaths.Chat, SendFrames("{\"error\":\"Requested protocol 'json' is not available.\"}\u001e"));

        return new TestHubHost(app, await app.StartOnLoopbackAsync());
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Func<WebSocket, byte[], CancellationToken, Task> SendFrames(params string[] frames) => async (socket, _, cancellationToken) =>
    {
        foreach (var frame in frames)
        {
            await SendTextAsync(socket, frame, cancellationToken);
        }
    };

    private static Task SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).AsTask();

    private static void MapRaw(WebApplication app, string path, Func<WebSocket, byte[], CancellationToken, Task> afterHandshake)
    {
        app.Map(path, async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest();
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];

            // Read the handshake request up to its record separator.
            var received = 0;
            while (Array.IndexOf(buffer, (byte)0x1e, 0, received) < 0)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(received), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return Results.Empty;
                }

                received += result.Count;
            }

            // Then stay silent until the client closes.
            try
            {
                await afterHandshake(socket, buffer, context.RequestAborted);
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            return Results.Empty;
        });
    }
}
