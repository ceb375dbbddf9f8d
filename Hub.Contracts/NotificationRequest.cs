using System.Text.Json;

namespace Hub.Contracts;

/// <summary>Body of <c>POST /api/notifications</c>.</summary>
/// <param name="To">Who receives it: exactly one of user, users, room or all.</param>
/// <param name="Type">Notification type, e.g. <c>order.shipped</c>.</param>
/// <param name="Payload">Any JSON value, delivered as is.</param>
public sealed record NotificationRequest(NotificationTarget? To, string? Type, JsonElement? Payload);
