using Hub.Contracts;

namespace Hub.Server.Common;

/// <summary>
/// A request the service refuses (bad name, not a member, limit reached). The hub error filter turns it into a
/// <see cref="Microsoft.AspNetCore.SignalR.HubException"/> whose message the client sees, with its <see cref="Code"/>
/// (see <see cref="HubError"/>); the HTTP API turns it into a 4xx.
/// </summary>
public class HubRequestException : Exception
{
    /// <summary>Creates the exception with the message the client will see.</summary>
    /// <param name="message">The human text.</param>
    /// <param name="statusCode">The HTTP status of the refusal.</param>
    /// <param name="code">The stable code, one of <see cref="HubErrorCodes"/>; <c>null</c> for the status's general one.</param>
    /// <param name="retryAfter">For a rate limit, how long until a retry can succeed.</param>
    public HubRequestException(string message, int statusCode = StatusCodes.Status400BadRequest, string? code = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code ?? CodeOf(statusCode);
        RetryAfter = retryAfter;
    }

    /// <summary>HTTP status code used when the refusal reaches the HTTP API.</summary>
    public int StatusCode { get; }

    /// <summary>The stable error code clients match on, one of <see cref="HubErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>For a rate limit, how long until a retry can succeed; otherwise <c>null</c>.</summary>
    public TimeSpan? RetryAfter { get; }

    // The general code of a status, for refusals that name no more specific one.
    private static string CodeOf(int statusCode) => statusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => HubErrorCodes.TooLarge,
        StatusCodes.Status429TooManyRequests => HubErrorCodes.RateLimited,
        _ => HubErrorCodes.InvalidArgument,
    };
}
