using System.Net;

namespace Hub.Client;

/// <summary>
/// A connection could not be established: negotiation failed, the WebSocket upgrade was refused,
/// or the server rejected or did not answer the handshake.
/// </summary>
public sealed class HubConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong; for a handshake the server rejected, exactly the server's error text.</param>
    /// <param name="statusCode">The HTTP status code the server answered with, when the failure was an HTTP answer.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public HubConnectionException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>
    /// The HTTP status code of the negotiate request or WebSocket upgrade, when the server answered with an error status
    /// (for example 401 when the access token was refused, 404 when nothing is mapped at the path).
    /// </summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary><c>true</c> when the server refused the credentials (HTTP 401 or 403); retrying with the same token is pointless.</summary>
    public bool IsAuthenticationFailure => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
