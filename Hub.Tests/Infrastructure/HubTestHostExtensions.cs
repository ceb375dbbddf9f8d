using Hub.Client;
using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Infrastructure;

/// <summary>Connects users to a test host through Hub.Client over real WebSockets.</summary>
public static class HubTestHostExtensions
{
    /// <summary>A chat user, connected and resumed (unless <paramref name="start"/> is false), with a dev token.</summary>
    public static Task<HubUser<ChatClient>> ChatAsync(this HubTestHost host, string user, Action<HubClientOptions>? configure = null, bool start = true) =>
        ConnectAsync(user, host.TokenAsync(user), o => new ChatClient(host.BaseAddress, o), configure, start);

    /// <summary>
    /// Connects <paramref name="user"/>'s chat device once and leaves: the user is known from then on, and the device
    /// (which starts at the present when first seen) has its cursors, so what is sent from now on is its backlog.
    /// </summary>
    public static async Task ConnectOnceAsync(this HubTestHost host, string user, Action<HubClientOptions>? configure = null)
    {
        await using var device = await host.ChatAsync(user, configure);
        await device.Client.StopAsync();
    }

    /// <summary>A notifications user.</summary>
    public static Task<HubUser<NotificationClient>> NotificationsAsync(this HubTestHost host, string user, Action<HubClientOptions>? configure = null, bool start = true) =>
        ConnectAsync(user, host.TokenAsync(user), o => new NotificationClient(host.BaseAddress, o), configure, start);

    /// <summary>A raw protocol connection to the chat hub, for sending what the typed client never would.</summary>
    public static async Task<RawHubConnection> RawChatAsync(this HubTestHost host, string user) =>
        await RawHubConnection.ConnectAsync(new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/')), await host.TokenAsync(user));

    /// <summary>
    /// Opens a raw chat connection that the server is expected to close right after the handshake (a refusal in
    /// <c>OnConnectedAsync</c>) and returns why it closed.
    /// </summary>
    /// <param name="host">The server.</param>
    /// <param name="user">Who connects.</param>
    /// <param name="device">The device the connection names (<c>device=</c>), or none.</param>
    public static async Task<Exception> ConnectChatExpectingCloseAsync(this HubTestHost host, string user, string? device = null)
    {
        var url = new UriBuilder(new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/')));
        if (device is not null)
        {
            url.Query = $"{HubPaths.DeviceQueryParameter}={Uri.EscapeDataString(device)}";
        }
        await using var connection = RawHubConnection.Create(url.Uri, await host.TokenAsync(user));
        var closed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error => closed.TrySetResult(error ?? new InvalidOperationException("closed without a reason"));
        try
        {
            await connection.StartAsync().OrTimeout();
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            closed.TrySetResult(ex);
        }
        return await closed.Task.OrTimeout();
    }

    /// <summary>Closes every chat connection of <paramref name="user"/> on the server, as a network failure would.</summary>
    public static int AbortConnectionsOf(this HubTestHost host, string user) =>
        host.Services.GetRequiredService<DeliveryDispatcher<ChatHub>>().AbortConnections(user);

    /// <summary>
    /// A user of any server (a test host, a node process) with its dev token, connected and resumed unless
    /// <paramref name="start"/> is false; the client reconnects quickly, as tests want.
    /// </summary>
    internal static async Task<HubUser<TClient>> ConnectAsync<TClient>(string user, Task<string> tokenTask, Func<HubClientOptions, TClient> create,
        Action<HubClientOptions>? configure = null, bool start = true) where TClient : HubClientBase
    {
        var token = await tokenTask;
        var options = new HubClientOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        configure?.Invoke(options);
        var hubUser = new HubUser<TClient>(user, create(options));
        if (start)
        {
            await hubUser.Client.StartAsync().OrTimeout();
            // Started is not yet online: presence, groups and the redelivery are in place once Resumed arrives, and
            // what a test does next (a broadcast, a direct message to this user) may depend on them.
            await hubUser.WaitForResumeAsync();
        }
        return hubUser;
    }
}
