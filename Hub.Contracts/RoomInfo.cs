namespace Hub.Contracts;

/// <summary>A room: its name, its owner and when it was created.</summary>
public sealed record RoomInfo(string Name, string Owner, DateTimeOffset CreatedAt);
