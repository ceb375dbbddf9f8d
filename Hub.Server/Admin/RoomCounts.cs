namespace Hub.Server.Admin;

/// <summary>A room's size and position as the store holds them.</summary>
/// <param name="Name">The room.</param>
/// <param name="Members">Its member count.</param>
/// <param name="Seq">Its last sequence number (how many messages it has had).</param>
public sealed record RoomCounts(string Name, int Members, long Seq);
