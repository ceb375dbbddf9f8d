namespace Hub.Server.Rooms;

/// <summary>The membership bounds a store enforces atomically with the change.</summary>
public readonly record struct RoomLimits(int MaxRoomsPerUser, int MaxMembersPerRoom);
