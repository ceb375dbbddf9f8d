namespace Hub.Server.Admin;

/// <summary>The store's health as the overview shows it.</summary>
/// <param name="Kind"><c>embedded</c> (this process's memory) or <c>redis</c>.</param>
/// <param name="Reachable">Whether the store answered.</param>
/// <param name="RoundTripMs">Redis: a PING's round trip in milliseconds.</param>
/// <param name="UsedMemoryBytes">Redis: <c>used_memory</c> from <c>INFO memory</c>.</param>
/// <param name="ConnectedClients">Redis: <c>connected_clients</c> from <c>INFO clients</c>.</param>
/// <param name="Error">Why the store did not answer, when it did not.</param>
public sealed record StoreOverview(string Kind, bool Reachable, double? RoundTripMs = null, long? UsedMemoryBytes = null,
    long? ConnectedClients = null, string? Error = null);
