namespace Hub.Server.Rooms;

/// <summary>The bounds a store enforces atomically with a change to rooms or membership.</summary>
/// <param name="MaxRoomsPerUser">Rooms one user may be a member of.</param>
/// <param name="MaxMembersPerRoom">Members one room may have.</param>
/// <param name="MaxOwnedRoomsPerUser">Rooms one user may own (created and not deleted).</param>
/// <param name="MaxRoomsPerNamespace">Rooms the namespace may hold.</param>
public readonly record struct RoomLimits(int MaxRoomsPerUser, int MaxMembersPerRoom, int MaxOwnedRoomsPerUser = int.MaxValue, int MaxRoomsPerNamespace = int.MaxValue);
