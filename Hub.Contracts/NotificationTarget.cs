namespace Hub.Contracts;

/// <summary>The recipients of a notification: set exactly one member.</summary>
/// <param name="User">One user.</param>
/// <param name="Users">Several users.</param>
/// <param name="Room">Every member of a topic (a room of the notifications namespace).</param>
/// <param name="All">Every user known to the notifications namespace.</param>
public sealed record NotificationTarget(string? User = null, IReadOnlyList<string>? Users = null, string? Room = null, bool? All = null);
