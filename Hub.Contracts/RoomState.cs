namespace Hub.Contracts;

/// <summary>What <c>JoinRoom</c> returns: the room and its members with presence.</summary>
public sealed record RoomState(string Room, IReadOnlyList<Member> Members);
