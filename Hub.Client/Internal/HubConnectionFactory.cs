using System.Net;
using System.Net.WebSockets;
using Hub.Contracts;
using Hub.Contracts.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Client.Internal;

/// <summary>
/// Builds one official <see cref="HubConnection"/> per connect attempt from <see cref="HubClientOptions"/>: a fresh
/// one each time, so the attempt carries the device, the current epoch in its URL and the token asked for it.
/// </summary>
internal sealed class HubConnectionFactory(Uri hubUrl, HubClientOptions options)
{
    // The device is the client's for its whole life (read once, as the constructor validated it); the epoch changes.
    private readonly Uri _deviceUrl = string.IsNullOrEmpty(options.DeviceId) ? hubUrl : WithQuery(hubUrl, HubPaths.DeviceQueryParameter, options.DeviceId);

    /// <summary>
    /// A connection to the hub, not started, with the device (<see cref="HubClientOptions.DeviceId"/>, when named) and
    /// <paramref name="epoch"/> in the query and <paramref name="accessToken"/>,
    /// and the protocol it speaks, which remembers the server's close message.
    /// </summary>
    public (HubConnection Connection, CloseObservingHubProtocol Protocol) Create(string? epoch, string? accessToken)
    {
        var url = epoch is null ? _deviceUrl : WithQuery(_deviceUrl, HubPaths.EpochQueryParameter, epoch);
        var builder = new HubConnectionBuilder().WithUrl(url, ToHttpTransportType(options.Transports), http =>
        {
            http.SkipNegotiation = options.SkipNegotiation;
            foreach (var (name, value) in options.Headers)
            {
                http.Headers[name] = value;
            }

            http.HttpMessageHandlerFactory = options.HttpMessageHandlerFactory;
            // Our WebSocket factory below applies it, as the official transport would.
            http.WebSocketConfiguration = options.WebSocketConfiguration;

            if (accessToken is not null)
            {
                http.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            }

            // Our own factory only to learn the upgrade's HTTP status (a 404 after negotiating means "negotiate again").
            http.WebSocketFactory = (context, cancellationToken) => ConnectWebSocketAsync(context, accessToken, cancellationToken);
        });

        // The connection takes the last IHubProtocol registered: this one, over JSON or MessagePack.
        var protocol = new CloseObservingHubProtocol(options.Protocol == HubProtocolFormat.MessagePack
            ? new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = HubMessagePack.SerializerOptions }))
            : new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions())));
        builder.Services.AddSingleton<IHubProtocol>(protocol);

        if (options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new ConnectionLoggerFactory(loggerFactory)));
        }

        var connection = builder.Build();
        connection.HandshakeTimeout = options.HandshakeTimeout;
        connection.KeepAliveInterval = options.KeepAliveInterval;
        connection.ServerTimeout = options.ServerTimeout;
        return (connection, protocol);
    }

    private static async ValueTask<WebSocket> ConnectWebSocketAsync(WebSocketConnectionContext context, string? accessToken, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var header in context.Options.Headers)
        {
            socket.Options.SetRequestHeader(header.Key, header.Value);
        }

        if (accessToken is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {accessToken}");
        }

        context.Options.WebSocketConfiguration?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(context.Uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new WebSocketRefusedException(status, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static HttpTransportType ToHttpTransportType(HubTransports transports)
    {
        var result = HttpTransportType.None;
        if (transports.HasFlag(HubTransports.WebSockets))
        {
            result |= HttpTransportType.WebSockets;
        }

        if (transports.HasFlag(HubTransports.ServerSentEvents))
        {
            result |= HttpTransportType.ServerSentEvents;
        }

        if (transports.HasFlag(HubTransports.LongPolling))
        {
            result |= HttpTransportType.LongPolling;
        }

        return result;
    }

    private static Uri WithQuery(Uri url, string name, string value)
    {
        var builder = new UriBuilder(url);
        var pair = $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) ? pair : $"{builder.Query.TrimStart('?')}&{pair}";
        return builder.Uri;
    }
}
