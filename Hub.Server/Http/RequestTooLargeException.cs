namespace Hub.Server.Http;

/// <summary>A request body went past its byte limit (see <see cref="LimitedStream"/>).</summary>
public sealed class RequestTooLargeException() : Exception("Request body too large.");
