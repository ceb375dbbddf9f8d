using Hub.Client.Internal;
using Hub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Client;

/// <summary>
/// Client of the chat namespace (<see cref="HubPaths.Chat"/>): rooms, direct messages and broadcasts. Messages arrive
/// through <see cref="HubClientBase.MessageReceived"/> and are acknowledged automatically.
/// </summary>
public sealed partial class ChatClient : HubClientBase
{
    /// <summary>Creates a chat client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public ChatClient(Uri baseUrl, HubClientOptions? options = null)
        : base(baseUrl, HubPaths.Chat, HubEvents.Message, options)
    {
        RegisterEditEvents();
    }

    /// <summary>Creates a chat client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public ChatClient(string baseUrl, HubClientOptions? options = null)
        : this(ParseBaseUrl(baseUrl), options)
    {
    }

    /// <summary><c>CreateRoom(room)</c>: creates a room owned by the caller.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The created room.</returns>
    public Task<RoomInfo> CreateRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync<RoomInfo>(HubMethods.CreateRoom, [room], cancellationToken);
    }

    /// <summary><c>DeleteRoom(room)</c>: deletes a room; only its owner may.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task DeleteRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync(HubMethods.DeleteRoom, [room], cancellationToken);
    }

    // The chat namespace's own events, each feature's in its file.
    private protected override void RegisterEvents(ServerEvents events)
    {
        RegisterRoomEvents(events);
        RegisterReadStateEvents(events);
    }

    /// <summary>
    /// A new idempotency key for one message (32 hex characters). The client resends a message with its key by itself
    /// across a reconnect (<see cref="HubClientOptions.SendRetryTimeout"/>); pass the same key again when retrying that
    /// message yourself after the window ran out: the server then returns the first result instead of storing the
    /// message twice.
    /// </summary>
    /// <returns>A key unique to this call.</returns>
    public static string NewSendKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// <c>Send(request)</c>: sends one message to the request's target (room, rooms, user or broadcast). A request
    /// without <see cref="SendRequest.Key"/> gets a new one; to retry safely, set the key yourself and reuse it.
    /// When the send fails because the connection closed or is reconnecting (a node restarting or dying), or the store
    /// was unavailable, it is sent again with the same key once the connection is back, for up to
    /// <see cref="HubClientOptions.SendRetryTimeout"/>: the caller sees one result, and the server stores one message.
    /// </summary>
    /// <param name="request">The message and its one target.</param>
    /// <param name="cancellationToken">Stops waiting for the result and stops resending.</param>
    /// <returns>The stored message's id and time: it will be delivered. A retry with the same key returns the same.</returns>
    /// <exception cref="HubInvocationException">The server refused the message (at once for a refusal about the message,
    /// such as <c>not_member</c> or <c>too_large</c>; a store failure only once the resend window ran out).</exception>
    /// <exception cref="HubConnectionClosedException">The connection was lost and not back within the resend window.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected and not reconnecting.</exception>
    public Task<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeIdempotentAsync<SendResult>(HubMethods.Send, [request.Key is null ? request with { Key = NewSendKey() } : request], cancellationToken);
    }

    /// <summary>Sends a message to a room's members, with a new idempotency key.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomAsync(string room, string text, CancellationToken cancellationToken = default) =>
        SendToRoomAsync(room, text, null, cancellationToken);

    /// <summary>Sends a message to a room's members.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="text">The message text.</param>
    /// <param name="key">Idempotency key (<see cref="NewSendKey"/>); reuse it to retry this message; <c>null</c> for a new one.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomAsync(string room, string text, string? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(new SendRequest(text, Room: room, Key: key), cancellationToken);
    }

    /// <summary>Sends one message to the members of several rooms, with a new idempotency key.</summary>
    /// <param name="rooms">The rooms' names.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomsAsync(IReadOnlyList<string> rooms, string text, CancellationToken cancellationToken = default) =>
        SendToRoomsAsync(rooms, text, null, cancellationToken);

    /// <summary>Sends one message to the members of several rooms.</summary>
    /// <param name="rooms">The rooms' names.</param>
    /// <param name="text">The message text.</param>
    /// <param name="key">Idempotency key (<see cref="NewSendKey"/>); reuse it to retry this message; <c>null</c> for a new one.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomsAsync(IReadOnlyList<string> rooms, string text, string? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(new SendRequest(text, Rooms: rooms, Key: key), cancellationToken);
    }

    /// <summary>Sends a direct message to a user (who must have connected at least once), with a new idempotency key.</summary>
    /// <param name="user">The receiving user.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToUserAsync(string user, string text, CancellationToken cancellationToken = default) =>
        SendToUserAsync(user, text, null, cancellationToken);

    /// <summary>Sends a direct message to a user (who must have connected at least once).</summary>
    /// <param name="user">The receiving user.</param>
    /// <param name="text">The message text.</param>
    /// <param name="key">Idempotency key (<see cref="NewSendKey"/>); reuse it to retry this message; <c>null</c> for a new one.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToUserAsync(string user, string text, string? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(new SendRequest(text, User: user, Key: key), cancellationToken);
    }

    /// <summary>Sends a message to every other user online in the chat namespace, with a new idempotency key.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> BroadcastAsync(string text, CancellationToken cancellationToken = default) =>
        BroadcastAsync(text, null, cancellationToken);

    /// <summary>Sends a message to every other user online in the chat namespace.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="key">Idempotency key (<see cref="NewSendKey"/>); reuse it to retry this message; <c>null</c> for a new one.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> BroadcastAsync(string text, string? key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(new SendRequest(text, Broadcast: true, Key: key), cancellationToken);
    }

    /// <summary><c>GetHistory(room, before, limit)</c>: a room's stored messages, newest last.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="before">Only messages older than this message id; <c>null</c> for the newest.</param>
    /// <param name="limit">At most this many messages.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The messages, oldest first.</returns>
    public async Task<IReadOnlyList<Envelope>> GetHistoryAsync(string room, string? before, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return await InvokeAsync<Envelope[]>(HubMethods.GetHistory, [room, before, limit], cancellationToken).ConfigureAwait(false) ?? [];
    }
}
