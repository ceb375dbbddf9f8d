using Hub.Contracts;

namespace Hub.Client;

/// <summary>
/// A hub method failed on the server. <see cref="Exception.Message"/> is the server's human text, without SignalR's
/// prefix (<c>An unexpected error occurred invoking '...' on the server. HubException: </c>) and without the code
/// suffix; <see cref="Code"/> says what went wrong in a form to match on, <see cref="IsRetryable"/> whether retrying
/// can help, and <see cref="RetryAfter"/> when (docs/protocol.md, "Errors").
/// </summary>
public sealed class HubInvocationException : Exception
{
    /// <summary>Creates the exception for a failed invocation, with the code <see cref="HubErrorCodes.ServerError"/>.</summary>
    /// <param name="message">The server's error text.</param>
    public HubInvocationException(string message)
        : this(message, null)
    {
    }

    /// <summary>
    /// Creates the exception for a failed invocation with the name of the hub method that failed, with the code
    /// <see cref="HubErrorCodes.ServerError"/>.
    /// </summary>
    /// <param name="message">The server's error text.</param>
    /// <param name="method">The hub method that was invoked.</param>
    public HubInvocationException(string message, string? method)
        : this(message, method, HubErrorCodes.ServerError, isRetryable: false, retryAfter: null)
    {
    }

    /// <summary>Creates the exception for a failed invocation with the error's code.</summary>
    /// <param name="message">The server's human text.</param>
    /// <param name="method">The hub method that was invoked.</param>
    /// <param name="code">The error code, one of <see cref="HubErrorCodes"/>.</param>
    /// <param name="isRetryable">Whether retrying the same call unchanged can succeed.</param>
    /// <param name="retryAfter">How long until a retry can succeed, when the server said.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public HubInvocationException(string message, string? method, string code, bool isRetryable, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(code);
        Method = method;
        Code = code;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>The hub method that was invoked, when known.</summary>
    public string? Method { get; }

    /// <summary>
    /// The stable error code, one of <see cref="HubErrorCodes"/> (e.g. <c>rate_limited</c>, <c>room_not_found</c>);
    /// <see cref="HubErrorCodes.ServerError"/> when the server sent none (an unexpected failure).
    /// </summary>
    public string Code { get; }

    /// <summary>Whether retrying the same call unchanged can succeed (a rate limit, the store briefly down).</summary>
    public bool IsRetryable { get; }

    /// <summary>For <see cref="HubErrorCodes.RateLimited"/>, how long until a retry can succeed; otherwise <c>null</c>.</summary>
    public TimeSpan? RetryAfter { get; }
}
