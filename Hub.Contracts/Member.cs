namespace Hub.Contracts;

/// <summary>A room member.</summary>
/// <param name="User">The member's user name.</param>
/// <param name="Online">Whether the user has at least one live connection to the namespace.</param>
/// <param name="Role">The member's role in the room (<see cref="RoomRoles"/>).</param>
/// <param name="ReadSeq">How far the member has read the room (the <c>Seq</c> of the last message read; 0 for none).</param>
public sealed record Member(string User, bool Online, string Role = RoomRoles.Member, long ReadSeq = 0);
