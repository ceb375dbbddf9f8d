using Hub.Contracts;

namespace Hub.Server.Rooms;

/// <summary>Outcome of a join: the room, whether the user was newly added, and the members after the join.</summary>
public sealed record JoinResult(RoomInfo Room, bool Added, IReadOnlyList<string> Members);
