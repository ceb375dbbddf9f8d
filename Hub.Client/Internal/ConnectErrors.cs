using System.Net;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Client.Internal;

/// <summary>Turns what the official client throws from <c>StartAsync</c> into a <see cref="HubConnectionException"/>.</summary>
internal static class ConnectErrors
{
    /// <summary>The HTTP status of a refused WebSocket upgrade somewhere in <paramref name="error"/>, if any.</summary>
    public static HttpStatusCode? WebSocketStatus(Exception error) =>
        Flatten(error).OfType<WebSocketRefusedException>().Select(e => (HttpStatusCode?)e.StatusCode).FirstOrDefault();

    /// <summary>
    /// The connect failure as a <see cref="HubConnectionException"/>: with the HTTP status of the negotiate request or
    /// the WebSocket upgrade when the server answered with one (401/403 make it an authentication failure), the
    /// server's text when it rejected the handshake, and a timeout when <paramref name="timedOut"/>.
    /// </summary>
    public static HubConnectionException Translate(Exception error, Uri url, bool timedOut, TimeSpan handshakeTimeout)
    {
        var where = url.GetLeftPart(UriPartial.Path);
        if (timedOut)
        {
            return new HubConnectionException($"Connecting to {where} did not complete within {handshakeTimeout}.", null, error);
        }

        foreach (var e in Flatten(error))
        {
            switch (e)
            {
                case HubConnectionException known:
                    return known;
                case WebSocketRefusedException refused:
                    return new HubConnectionException(
                        $"The WebSocket request to {where} was refused with HTTP {(int)refused.StatusCode} ({refused.StatusCode}).", refused.StatusCode, error);
                case HttpRequestException { StatusCode: { } status }:
                    return new HubConnectionException($"The request to {where} failed with HTTP {(int)status} ({status}).", status, error);
                case HubException handshake:
                    // The server rejected the handshake: its text, as the official client words it.
                    return new HubConnectionException(handshake.Message, null, error);
            }
        }

        return new HubConnectionException($"Connecting to {where} failed: {error.Message}", null, error);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
