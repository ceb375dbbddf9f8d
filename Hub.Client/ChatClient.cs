using Hub.Contracts;

namespace Hub.Client;

/// <summary>
/// Client of the chat namespace (<see cref="HubPaths.Chat"/>): rooms, direct messages and broadcasts. Messages arrive
/// through <see cref="HubClientBase.MessageReceived"/> and are acknowledged automatically.
/// </summary>
public sealed class ChatClient : HubClientBase
{
    /// <summary>Creates a chat client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public ChatClient(Uri baseUrl, HubClientOptions? options = null)
        : base(baseUrl, HubPaths.Chat, HubEvents.Message, options)
    {
    }

    /// <summary>Creates a chat client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c>.</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public ChatClient(string baseUrl, HubClientOptions? options = null)
        : this(new Uri(baseUrl ?? throw new ArgumentNullException(nameof(baseUrl))), options)
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

    /// <summary><c>SendToRoom(room, text)</c>: sends a message to a room's members.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomAsync(string room, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(text);
        return InvokeAsync<SendResult>(HubMethods.SendToRoom, [room, text], cancellationToken);
    }

    /// <summary><c>SendToRooms(rooms, text)</c>: sends one message to the members of several rooms.</summary>
    /// <param name="rooms">The rooms' names.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToRoomsAsync(IReadOnlyList<string> rooms, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        ArgumentNullException.ThrowIfNull(text);
        return InvokeAsync<SendResult>(HubMethods.SendToRooms, [rooms, text], cancellationToken);
    }

    /// <summary><c>SendToUser(user, text)</c>: sends a direct message to every connection of a user.</summary>
    /// <param name="user">The receiving user.</param>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> SendToUserAsync(string user, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(text);
        return InvokeAsync<SendResult>(HubMethods.SendToUser, [user, text], cancellationToken);
    }

    /// <summary><c>Broadcast(text)</c>: sends a message to every user of the chat namespace.</summary>
    /// <param name="text">The message text.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The stored message's id and time: it will be delivered.</returns>
    public Task<SendResult> BroadcastAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return InvokeAsync<SendResult>(HubMethods.Broadcast, [text], cancellationToken);
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
