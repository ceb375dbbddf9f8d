namespace Hub.Contracts;

/// <summary>The 202 response of the notification API: the stored notification's id and how many users it was queued for.</summary>
public sealed record NotificationAccepted(string Id, int Recipients);
