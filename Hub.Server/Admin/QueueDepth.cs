namespace Hub.Server.Admin;

/// <summary>A user's pending (stored, not yet acknowledged) message count.</summary>
/// <param name="User">The user.</param>
/// <param name="Pending">Entries in the user's queue.</param>
public sealed record QueueDepth(string User, long Pending);
