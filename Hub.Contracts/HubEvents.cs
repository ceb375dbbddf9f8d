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
    /// <summary><c>RoomCreated(RoomInfo)</c>: a public room was created (to everyone in the namespace).</summary>
    public const string RoomCreated = "RoomCreated";
    /// <summary><c>Invited(room, by)</c>: the caller was invited to a private room.</summary>
    public const string Invited = "Invited";
    /// <summary><c>RoleChanged(room, user, role)</c>: a member's role changed.</summary>
    public const string RoleChanged = "RoleChanged";
    /// <summary><c>UserTyping(room, user)</c>: a member is typing (not stored).</summary>
    public const string UserTyping = "UserTyping";
    /// <summary><c>ReadUpTo(room, user, seq)</c>: a member has read the room up to <c>seq</c>.</summary>
    public const string ReadUpTo = "ReadUpTo";
    /// <summary><c>MessageEdited(Envelope)</c>: a stored message's text was changed by its author.</summary>
    public const string MessageEdited = "MessageEdited";
    /// <summary><c>MessageDeleted(Envelope)</c>: a stored message was deleted.</summary>
    public const string MessageDeleted = "MessageDeleted";
    /// <summary>
    /// <c>UserKicked(room, user, by)</c>: a member was removed by the owner or an admin (sent with <c>UserLeft(room, user)</c>,
    /// which keeps two arguments: .NET clients bind events by argument count, so a third would break their handlers).
    /// </summary>
    public const string UserKicked = "UserKicked";
}
