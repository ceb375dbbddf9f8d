namespace Hub.Server.Admin;

/// <summary>A namespace in the overview.</summary>
/// <param name="Name">Its name (<c>chat</c>, <c>notifications</c>).</param>
/// <param name="Connections">Live connections on every listed node.</param>
/// <param name="RoomCount">Rooms it has in all.</param>
/// <param name="RoomsScanned">Rooms read for this overview (at most <see cref="AdminOptions.MaxRoomsScanned"/>).</param>
/// <param name="Rooms">The busiest of them (at most <see cref="AdminOptions.TopRooms"/>), by rate, then members.</param>
/// <param name="UsersScanned">Users whose queues were measured (at most <see cref="AdminOptions.MaxQueuesScanned"/>).</param>
/// <param name="DeepestQueues">The deepest of those queues (at most <see cref="AdminOptions.TopQueues"/>), deepest first.</param>
public sealed record NamespaceOverview(string Name, int Connections, long RoomCount, int RoomsScanned, IReadOnlyList<RoomOverview> Rooms,
    int UsersScanned, IReadOnlyList<QueueDepth> DeepestQueues);
