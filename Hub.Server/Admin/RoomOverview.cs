namespace Hub.Server.Admin;

/// <summary>A room in the overview.</summary>
/// <param name="Name">The room.</param>
/// <param name="Members">Its member count.</param>
/// <param name="LastSeq">Its last sequence number.</param>
/// <param name="MessagesPerMinute">
/// Its rate: the change of <paramref name="LastSeq"/> since the oldest look within the sample window, per minute;
/// <c>null</c> on the first look at it.
/// </param>
public sealed record RoomOverview(string Name, int Members, long LastSeq, double? MessagesPerMinute);
