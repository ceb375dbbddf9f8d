using Hub.Server.Common;


namespace Hub.Server.Http;

/// <summary>The HTTP API's error shape, <c>{"error": "..."}</c>, and the mapping of refusals to status codes.</summary>
public static class HttpErrors
{
    /// <summary>An error response.</summary>
    public static IResult Error(int statusCode, string message) => Results.Json(new { error = message }, statusCode: statusCode);

    /// <summary>Runs an endpoint body, turning refusals into 4xx and store outages into 503.</summary>
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
    }
}
