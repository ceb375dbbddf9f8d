namespace Hub.Server.Common;

/// <summary>
/// A request the service refuses (bad name, not a member, limit reached). The hub error filter turns it into a
/// <see cref="Microsoft.AspNetCore.SignalR.HubException"/> whose message the client sees; the HTTP API turns it into a 4xx.
/// </summary>
public class HubRequestException : Exception
{
    /// <summary>Creates the exception with the message the client will see.</summary>
    public HubRequestException(string message, int statusCode = StatusCodes.Status400BadRequest) : base(message) => StatusCode = statusCode;

    /// <summary>HTTP status code used when the refusal reaches the HTTP API.</summary>
    public int StatusCode { get; }
}
