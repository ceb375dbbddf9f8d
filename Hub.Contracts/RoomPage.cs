namespace Hub.Contracts;

/// <summary>
/// What <c>ListRoomsPage</c> returns: rooms by name (ordinal), and <see cref="Next"/>, the cursor to pass as
/// <c>after</c> for the following page, or <c>null</c> on the last page.
/// </summary>
public sealed record RoomPage(IReadOnlyList<RoomInfo> Rooms, string? Next);
