using System.Net;

namespace Hub.Client.Internal;

/// <summary>The WebSocket upgrade was answered with an HTTP status other than 101; carries that status.</summary>
internal sealed class WebSocketRefusedException(HttpStatusCode statusCode, Exception innerException)
    : Exception($"The WebSocket request was answered with HTTP {(int)statusCode} ({statusCode}).", innerException)
{
    /// <summary>The status the server answered the upgrade with.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
}
