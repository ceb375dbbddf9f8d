using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Rooms;

/// <summary>
/// Rooms of every namespace: metadata, owner and members. Membership belongs to the user and outlives connections.
/// Implementations: in memory (embedded mode) and Redis (cluster mode); both pass the same contract tests.
/// Refusals (unknown room, not the owner, limits) are thrown as <see cref="HubRequestException"/>.
/// </summary>
public partial interface IRoomStore
{
    /// <summary>
    /// Creates a room owned by <paramref name="owner"/>, who becomes its first member; refuses when the owner is in or
    /// owns too many rooms or the namespace holds too many (<see cref="RoomLimits"/>). A private room is seen and
    /// joined only by its members and the users they invite (<see cref="InviteAsync"/>).
    /// </summary>
    Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, bool isPrivate = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a room if <paramref name="user"/> owns it; returns the members it had. A private room is refused to a
    /// non-member as if it did not exist.
    /// </summary>
    Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="user"/> to the room (creating it first when <paramref name="createIfMissing"/>). A private
    /// room admits its owner and invited users (using up the invite); anyone else is refused as if it did not exist.
    /// </summary>
    Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="user"/> from the room (and from its admins); returns whether the user was a member. A
    /// private room is refused to a non-member as if it did not exist.
    /// </summary>
    Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default);

    /// <summary>The room, or <c>null</c> if it does not exist.</summary>
    Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the namespace's rooms by name (ordinal): at most <paramref name="limit"/> rooms named after
    /// <paramref name="after"/> (from the first when <c>null</c>); <see cref="RoomPage.Next"/> is set when more follow.
    /// </summary>
    Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The members of a room, by name; refuses an unknown room.</summary>
    Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default);

    /// <summary>The rooms <paramref name="user"/> is a member of.</summary>
    Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default);
}
