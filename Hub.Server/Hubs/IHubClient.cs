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
    /// <summary>A public room was created (sent to everyone in the namespace).</summary>
    Task RoomCreated(RoomInfo room);
    /// <summary>The user was invited to a private room.</summary>
    Task Invited(string room, string by);
    /// <summary>A member's role changed.</summary>
    Task RoleChanged(string room, string user, string role);
    /// <summary>A member is typing.</summary>
    Task UserTyping(string room, string user);
    /// <summary>A member has read the room up to <paramref name="seq"/>.</summary>
    Task ReadUpTo(string room, string user, long seq);
    /// <summary>A stored message's text changed.</summary>
    Task MessageEdited(Envelope envelope);
    /// <summary>A stored message was deleted.</summary>
    Task MessageDeleted(Envelope envelope);
    /// <summary>A member was kicked by <paramref name="by"/> (follows <see cref="UserLeft"/>).</summary>
    Task UserKicked(string room, string user, string by);
}
