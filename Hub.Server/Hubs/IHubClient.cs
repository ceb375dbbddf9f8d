using Hub.Contracts;

namespace Hub.Server.Hubs;

/// <summary>The events the server invokes on clients (wire names in <see cref="HubEvents"/>).</summary>
public interface IHubClient
{
    /// <summary>A chat message.</summary>
    Task Message(Envelope envelope);
    /// <summary>A notification.</summary>
    Task Notification(Envelope envelope);
    /// <summary>The backlog has been redelivered.</summary>
    Task Resumed(ResumeInfo info);
    /// <summary>A user joined a room.</summary>
    Task UserJoined(string room, string user);
    /// <summary>A user left a room.</summary>
    Task UserLeft(string room, string user);
    /// <summary>A member came online or went offline.</summary>
    Task PresenceChanged(string room, string user, bool online);
    /// <summary>The room was deleted by its owner.</summary>
    Task RoomDeleted(string room);
}
