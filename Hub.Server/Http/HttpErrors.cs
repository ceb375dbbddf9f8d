using Hub.Server.Common;


namespace Hub.Server.Http;

/// <summary>The HTTP API's error shape, <c>{"error": "..."}</c>, and the mapping of refusals to status codes.</summary>
public static class HttpErrors
{
    /// <summary>An error response.</summary>
    public static IResult Error(int statusCode, string message) => Results.Json(new { error = message }, statusCode: statusCode);

    /// <summary>Writes an error response from a middleware (where no endpoint returns an <see cref="IResult"/>).</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string message) => Error(statusCode, message).ExecuteAsync(context);

    /// <summary>
    /// Runs an endpoint body, turning refusals into 4xx, store outages into 503 (nothing stored) and a store that did
    /// not answer a send in time into 504 (it may have been stored: retry with the same <c>Idempotency-Key</c>).
    /// </summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> body)
    {
        try
        {
            return await body();
        }
        catch (HubRequestException ex)
        {
            return Error(ex.StatusCode, ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        catch (StoreOutcomeUnknownException ex)
        {
            return Error(StatusCodes.Status504GatewayTimeout, ex.Message);
        }
    }
}
