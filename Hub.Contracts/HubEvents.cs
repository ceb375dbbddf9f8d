namespace Hub.Contracts;

/// <summary>Names of the events the server invokes on clients.</summary>
public static class HubEvents
{
    /// <summary><c>Message(Envelope)</c>: a chat message (room, direct or broadcast).</summary>
    public const string Message = "Message";
    /// <summary><c>Notification(Envelope)</c>: a notification, on the notifications namespace.</summary>
    public const string Notification = "Notification";
    /// <summary><c>Resumed(ResumeInfo)</c>: the backlog of pending messages has been redelivered.</summary>
    public const string Resumed = "Resumed";
    /// <summary><c>UserJoined(room, user)</c>.</summary>
    public const string UserJoined = "UserJoined";
    /// <summary><c>UserLeft(room, user)</c>.</summary>
    public const string UserLeft = "UserLeft";
    /// <summary><c>PresenceChanged(room, user, online)</c>.</summary>
    public const string PresenceChanged = "PresenceChanged";
    /// <summary><c>RoomDeleted(room)</c>.</summary>
    public const string RoomDeleted = "RoomDeleted";
}
