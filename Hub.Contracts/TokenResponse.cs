namespace Hub.Contracts;

/// <summary>Response of <c>POST /api/token</c>: a bearer token for the hubs.</summary>
public sealed record TokenResponse(string Token);
