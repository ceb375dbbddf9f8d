using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>POST /api/notifications and its durable delivery on /hubs/notifications.</summary>
public sealed class NotificationApiTests
{
    private static async Task<HttpResponseMessage> PostAsync(HubTestHost host, string json, string? key = HubTestHost.ApiKey, params string[] idempotencyKeys)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        if (idempotencyKeys.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKeys);
        }
        return await host.Http.SendAsync(request);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    [Fact]
    public async Task A_notification_to_a_user_is_accepted_and_delivered_with_its_type_and_payload()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");

        var response = await PostAsync(host, """{"to":{"user":"bob"},"type":"order.shipped","payload":{"order":42}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<NotificationAccepted>())!;
        Assert.Equal(1, accepted.Recipients);
        await bob.WaitForAsync(u => u.Messages.Count == 1);
        var received = bob.Messages[0];
        Assert.Equal((accepted.Id, "notifications", "tests", "order.shipped"), (received.Id, received.Ns, received.From, received.Type));
        Assert.Equal(42, received.Payload!.Value.GetProperty("order").GetInt32());
    }

    [Fact]
    public async Task A_notification_to_a_topic_reaches_its_members_and_an_offline_member_at_next_connect()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");
        var carol = await host.NotificationsAsync("carol");
        await bob.Client.JoinRoomAsync("orders");
        await carol.Client.JoinRoomAsync("orders");
        await carol.DisposeAsync();

        var response = await PostAsync(host, """{"to":{"room":"orders"},"type":"order.created","payload":"o-1"}""");
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<NotificationAccepted>())!.Recipients);

        await bob.WaitForAsync(u => u.Messages.Count == 1);
        await using var carolAgain = await host.NotificationsAsync("carol");
        await carolAgain.WaitForResumeAsync();
        var missed = Assert.Single(carolAgain.Messages);
        Assert.True(missed.Redelivered);
        Assert.Equal("o-1", missed.Payload!.Value.GetString());
    }

    [Fact]
    public async Task A_notification_to_several_users_or_to_all_reaches_each_once()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");
        await using var carol = await host.NotificationsAsync("carol");

        var users = await PostAsync(host, """{"to":{"users":["bob","carol","bob"]},"type":"t1"}""");
        var all = await PostAsync(host, """{"to":{"all":true},"type":"t2"}""");

        Assert.Equal(2, (await users.Content.ReadFromJsonAsync<NotificationAccepted>())!.Recipients);
        Assert.Equal(2, (await all.Content.ReadFromJsonAsync<NotificationAccepted>())!.Recipients);
        await bob.WaitForAsync(u => u.Messages.Count == 2);
        await carol.WaitForAsync(u => u.Messages.Count == 2);
        Assert.Equal(["t1", "t2"], bob.Messages.Select(m => m.Type));
    }

    [Fact]
    public async Task A_missing_or_wrong_api_key_is_401_and_delivers_nothing()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");

        var missing = await PostAsync(host, """{"to":{"user":"bob"},"type":"x"}""", key: null);
        var wrong = await PostAsync(host, """{"to":{"user":"bob"},"type":"x"}""", key: "guess");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing.StatusCode, wrong.StatusCode));
        Assert.Equal("Missing or invalid X-Api-Key header.", await ErrorOf(wrong));
        await PostAsync(host, """{"to":{"user":"bob"},"type":"marker"}""");
        await bob.WaitForAsync(u => u.Messages.Count == 1);
        Assert.Equal("marker", bob.Messages[0].Type);
    }

    [Theory]
    [InlineData("not json", 400, "Invalid JSON")]
    [InlineData("""{"type":"x"}""", 400, "'to' is required")]
    [InlineData("""{"to":{"user":"bob","all":true},"type":"x"}""", 400, "exactly one of user, users, room or all")]
    [InlineData("""{"to":{"user":"bob"}}""", 400, "'type' is required")]
    [InlineData("""{"to":{"user":"b o b"},"type":"x"}""", 400, "Invalid user name")]
    [InlineData("""{"to":{"room":"nobody-joined"},"type":"x"}""", 404, "Topic 'nobody-joined' does not exist")]
    public async Task Bad_notification_requests_get_a_4xx_that_says_what_is_wrong(string body, int status, string message)
    {
        await using var host = await HubTestHost.StartAsync();

        var response = await PostAsync(host, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(message, await ErrorOf(response));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxNotificationBytes"] = "100" });

        var response = await PostAsync(host, $$"""{"to":{"user":"bob"},"type":"x","payload":"{{new string('x', 200)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_twice_gives_the_same_id_and_one_delivery()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");
        const string body = """{"to":{"user":"bob"},"type":"order.shipped","payload":{"order":42}}""";

        var first = await PostAsync(host, body, idempotencyKeys: "order-42-shipped");
        var retry = await PostAsync(host, body, idempotencyKeys: "order-42-shipped");
        var other = await PostAsync(host, """{"to":{"user":"bob"},"type":"marker"}""");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { first.StatusCode, retry.StatusCode });
        var accepted = (await first.Content.ReadFromJsonAsync<NotificationAccepted>())!;
        Assert.Equal(accepted, await retry.Content.ReadFromJsonAsync<NotificationAccepted>());
        await bob.WaitForAsync(u => u.Messages.Any(m => m.Type == "marker"), "for the marker");
        Assert.Equal([accepted.Id, (await other.Content.ReadFromJsonAsync<NotificationAccepted>())!.Id], bob.Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task A_bad_or_repeated_Idempotency_Key_header_is_a_400_and_a_key_reused_for_another_body_a_409()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var bob = await host.NotificationsAsync("bob");
        const string body = """{"to":{"user":"bob"},"type":"ping"}""";

        var spaces = await PostAsync(host, body, idempotencyKeys: "has space");
        var twice = await PostAsync(host, body, idempotencyKeys: ["a", "b"]);
        var accepted = await PostAsync(host, body, idempotencyKeys: "k-1");
        var reused = await PostAsync(host, """{"to":{"user":"bob"},"type":"pong"}""", idempotencyKeys: "k-1");

        Assert.Equal(HttpStatusCode.BadRequest, spaces.StatusCode);
        Assert.StartsWith("Invalid idempotency key", await ErrorOf(spaces));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("dempotency", await ErrorOf(twice));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
    }

    [Fact]
    public async Task A_notification_to_a_user_that_never_connected_is_kept_by_default_and_refused_when_unknown_users_are_off()
    {
        await using (var host = await HubTestHost.StartAsync())
        {
            var response = await PostAsync(host, """{"to":{"user":"newcomer"},"type":"welcome"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await using var newcomer = await host.NotificationsAsync("newcomer");
            await newcomer.WaitForAsync(u => u.Messages.Any(m => m.Type == "welcome"), "for the welcome");
        }

        await using var strict = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:NotifyUnknownUsers"] = "false" });
        await using var bob = await strict.NotificationsAsync("bob");
        var refused = await PostAsync(strict, """{"to":{"users":["bob","ghost"]},"type":"welcome"}""");
        var ok = await PostAsync(strict, """{"to":{"users":["bob"]},"type":"welcome"}""");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("User 'ghost' does not exist.", await ErrorOf(refused));
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        await bob.WaitForAsync(u => u.Messages.Count == 1, "for the one welcome");
    }
}
