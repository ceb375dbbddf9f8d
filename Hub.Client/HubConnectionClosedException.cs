using Hub.Contracts;

namespace Hub.Client;

/// <summary>
/// An established connection ended without being stopped locally: the server sent a close message, the WebSocket
/// dropped, the server timed out or sent something unreadable. Pending invocations fail with this exception, and
/// <see cref="HubClientBase.Reconnecting"/> carries it (the official client's error as its inner exception).
/// </summary>
public sealed class HubConnectionClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened; when the server closed the connection with an error, its human text.</param>
    /// <param name="allowReconnect">Whether the server's close message allowed the client to reconnect.</param>
    /// <param name="serverError">The error text of the server's close message, if it sent one with an error.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public HubConnectionClosedException(string message, bool allowReconnect = true, string? serverError = null, Exception? innerException = null)
        : base(message, innerException)
    {
        AllowReconnect = allowReconnect;
        ServerError = serverError;
        ErrorCode = serverError is null ? null : HubError.Parse(serverError).Code;
    }

    /// <summary>
    /// The code of the server's close error (<see cref="HubErrorCodes"/>, e.g. <c>too_many_connections</c> or
    /// <c>store_unavailable</c> when the hub refused the connection), or <c>null</c> when the server sent no error.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>
    /// <c>false</c> when the server's close message said the client should not reconnect automatically
    /// (ASP.NET Core SignalR says so when the hub's <c>OnConnectedAsync</c> threw; Hub.Client reconnects anyway, as that
    /// can be a transient store failure); <c>true</c> otherwise, including for drops without a close message.
    /// </summary>
    public bool AllowReconnect { get; }

    /// <summary>The error text of the server's close message, or <c>null</c> when the server sent none.</summary>
    public string? ServerError { get; }
}
