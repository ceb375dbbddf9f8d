namespace Hub.Contracts;

/// <summary>A room member and whether the user has at least one live connection to the namespace.</summary>
public sealed record Member(string User, bool Online);
