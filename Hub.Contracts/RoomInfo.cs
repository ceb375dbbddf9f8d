namespace Hub.Contracts;

/// <summary>A room: its name, its owner, when it was created, and whether it is private (invited members only).</summary>
public sealed record RoomInfo(string Name, string Owner, DateTimeOffset CreatedAt, bool IsPrivate = false);
