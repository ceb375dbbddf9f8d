using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Http;
using Hub.Server.Limits;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Hub.Server.Notifications;

/// <summary><c>POST /api/notifications</c>: queue a notification for users, a topic or everyone; 202 with its id.</summary>
public static class NotificationEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(HubPaths.NotificationsApi, (HttpRequest request, ApiKeyValidator keys, MessageSender sender, IRoomStore rooms,
            IOptions<LimitsOptions> limits, CancellationToken cancellationToken) => HttpErrors.Guard(async () =>
        {
            var caller = keys.FindCaller(ApiKeys.Given(request));
            if (caller is null)
            {
                return HttpErrors.Error(StatusCodes.Status401Unauthorized, "Missing or invalid X-Api-Key header.");
            }
            if (!request.HasJsonContentType())
            {
                return HttpErrors.Error(StatusCodes.Status415UnsupportedMediaType, "Send the notification as JSON (Content-Type: application/json).");
            }
            if (request.ContentLength > limits.Value.MaxNotificationBytes)
            {
                return HttpErrors.Error(StatusCodes.Status413PayloadTooLarge, $"Notification body over {limits.Value.MaxNotificationBytes} bytes.");
            }
            NotificationRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<NotificationRequest>(
                    new LimitedStream(request.Body, limits.Value.MaxNotificationBytes), Json, cancellationToken);
            }
            catch (JsonException ex)
            {
                return HttpErrors.Error(StatusCodes.Status400BadRequest, $"Invalid JSON: {ex.Message}");
            }
            catch (RequestTooLargeException)
            {
                return HttpErrors.Error(StatusCodes.Status413PayloadTooLarge, $"Notification body over {limits.Value.MaxNotificationBytes} bytes.");
            }
            if (body is null)
            {
                return HttpErrors.Error(StatusCodes.Status400BadRequest, "Send a JSON object: {\"to\":{...},\"type\":\"...\",\"payload\":...}.");
            }
            var ns = HubNamespace.Notifications;
            if (body.To?.Room is { } topic && await rooms.GetAsync(ns.Name, Names.Room(topic), cancellationToken) is null)
            {
                return HttpErrors.Error(StatusCodes.Status404NotFound, $"Topic '{topic}' does not exist: no one has joined it.");
            }
            // A retry with the same Idempotency-Key (after a lost response) gets the first notification's id, stored once.
            var key = !request.Headers.TryGetValue("Idempotency-Key", out var keyHeader) ? null
                : keyHeader.Count == 1 ? keyHeader[0] : throw new HubRequestException("Send at most one Idempotency-Key header.");
            var stored = await sender.NotifyAsync(ns, caller, body, key, cancellationToken);
            return Results.Json(new NotificationAccepted(stored.Envelope.Id, stored.Recipients), statusCode: StatusCodes.Status202Accepted);
        }));
        return app;
    }
}
