namespace Hub.Client;

/// <summary>
/// A hub method failed on the server. <see cref="Exception.Message"/> is exactly the error text the server sent
/// in its completion message (for a <c>HubException</c> thrown by a hub method, that exception's message).
/// </summary>
public sealed class HubInvocationException : Exception
{
    /// <summary>Creates the exception for a failed invocation.</summary>
    /// <param name="message">The server's error text.</param>
    public HubInvocationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a failed invocation with the name of the hub method that failed.</summary>
    /// <param name="message">The server's error text.</param>
    /// <param name="method">The hub method that was invoked.</param>
    public HubInvocationException(string message, string? method)
        : base(message)
    {
        Method = method;
    }

    /// <summary>The hub method that was invoked, when known.</summary>
    public string? Method { get; }
}
