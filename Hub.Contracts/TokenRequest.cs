namespace Hub.Contracts;

/// <summary>Body of <c>POST /api/token</c>.</summary>
public sealed record TokenRequest(string? User);
