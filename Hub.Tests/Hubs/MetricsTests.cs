using Hub.Client;
using System.Net;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// The Prometheus endpoint: off for strangers by default, and what it exports once on. Alone, not beside other tests:
/// OpenTelemetry listens to every meter named <c>Hub</c> in the process, so other tests' hosts would add to the counts.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task The_metrics_endpoint_is_off_outside_development_unless_enabled()
    {
        await using var host = await HubTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task Once_enabled_it_exports_what_hub_did_with_asp_net_cores_and_the_runtimes_meters()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Metrics:Prometheus:Enabled"] = "true" });
        var (alice, bob) = await OrdinaryTrafficAsync(host);
        await using var _ = alice;
        await using var __ = bob;

        string text = "";
        await Poll.UntilAsync(async token =>
        {
            text = await host.Http.GetStringAsync("metrics", token);
            // Acks reach the store within Delivery:AckFlushInterval of the Ack call.
            return text.Contains("hub_refusals_total", StringComparison.Ordinal)
                && text.Contains("hub_store_operation=\"ack\"", StringComparison.Ordinal);
        }, "the scrape shows the refusal and the stored acks");

        Assert.Matches(@"hub_messages_stored_total\{[^}]*hub_namespace=""chat""[^}]*\} 1", text);
        Assert.Matches(@"hub_deliveries_total\{[^}]*hub_delivery_kind=""live""[^}]*\} 2", text);
        Assert.Matches(@"hub_refusals_total\{[^}]*hub_refusal_reason=""room_not_found""[^}]*\} 1", text);
        Assert.Matches(@"hub_connections\{[^}]*hub_namespace=""chat""[^}]*\} 2", text);
        Assert.Contains("hub_resume_duration_seconds_bucket", text);
        Assert.Matches(@"hub_store_duration_seconds_count\{[^}]*hub_store_operation=""append""[^}]*\} [1-9]", text);
        Assert.Matches(@"hub_store_duration_seconds_bucket\{[^}]*hub_store_operation=""ack""[^}]*\} [1-9]", text);
        Assert.Matches(@"hub_store_duration_seconds_count\{[^}]*hub_store_operation=""room_join""[^}]*\} 1", text);
        Assert.Matches(@"hub_store_duration_seconds_count\{[^}]*hub_store_operation=""presence_add""[^}]*\} 2", text);
        Assert.DoesNotContain("hub_store_failures_total", text);
        Assert.Contains("kestrel_active_connections", text);
        Assert.Contains("dotnet_gc_collections_total", text);
    }

    [Fact]
    public async Task Pending_depth_is_sampled_into_gauges_by_namespace()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:Prometheus:Enabled"] = "true",
            ["Admin:PendingSampleInterval"] = "00:00:01",
        });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using (var bob = await host.ChatAsync("bob"))
        {
            await bob.Client.JoinRoomAsync("general");
        }

        // Bob is away: three messages wait for his device (alice's own copies are acknowledged by her client).
        for (var i = 0; i < 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }

        string text = "";
        await Poll.UntilAsync(async token =>
        {
            text = await host.Http.GetStringAsync("metrics", token);
            return System.Text.RegularExpressions.Regex.IsMatch(text, @"hub_pending_messages\{[^}]*hub_namespace=""chat""[^}]*\} 3\b");
        }, "a sample shows bob's three pending messages");
        Assert.Matches(@"hub_pending_deepest\{[^}]*hub_namespace=""chat""[^}]*\} 3\b", text);
        Assert.Matches(@"hub_pending_users\{[^}]*hub_namespace=""chat""[^}]*\} 2\b", text);
        Assert.Matches(@"hub_pending_messages\{[^}]*hub_namespace=""notifications""[^}]*\} 0\b", text);
        // The sampler's scans are store calls like any other, measured by operation and namespace.
        Assert.Matches(@"hub_store_duration_seconds_count\{(?=[^}]*hub_namespace=""chat"")(?=[^}]*hub_store_operation=""overview_deepest"")[^}]*\} [1-9]", text);
    }

    [Fact]
    public async Task A_send_that_finds_redis_stopped_counts_as_a_store_failure_of_the_append()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var nodes = await Cluster.RedisNodes.StartAsync(redis, 1, new Dictionary<string, string?> { ["Metrics:Prometheus:Enabled"] = "true" });
        await using var alice = await nodes[0].ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");

        await redis.StopAsync();
        // The client retries a send the store could not take, so the call is given up once the failure shows.
        using var giveUp = new CancellationTokenSource();
        var send = alice.Client.SendToRoomAsync("general", "lost", giveUp.Token);

        await Poll.UntilAsync(async token => (await nodes[0].Http.GetStringAsync("metrics", token)).Contains("hub_store_failures_total{", StringComparison.Ordinal),
            "the scrape shows the failure");
        var text = await nodes[0].Http.GetStringAsync("metrics");
        Assert.Matches(@"hub_store_failures_total\{[^}]*error_type=""StoreUnavailableException""[^}]*hub_store_operation=""append""[^}]*\} [1-9]", text);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => send);
    }

    [Fact]
    public async Task With_a_key_the_endpoint_answers_only_requests_that_carry_it()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:Prometheus:Enabled"] = "true",
            ["Metrics:Prometheus:ApiKey"] = "scrape-key-0123",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("metrics")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Add("X-Api-Key", "scrape-key-0123");
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(request)).StatusCode);
    }

    /// <summary>
    /// What every Hub metric of ordinary use counts, once each: two users connect and resume, a room is made and
    /// joined, one message is sent, delivered live and acknowledged, and one send is refused (no such room). The two
    /// users stay connected for the caller to dispose.
    /// </summary>
    public static async Task<(HubUser<ChatClient> Alice, HubUser<ChatClient> Bob)> OrdinaryTrafficAsync(HubTestHost host)
    {
        var alice = await host.ChatAsync("alice");
        var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "counted");
        await bob.WaitForMessageAsync("counted");
        await bob.Client.FlushAcksAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => alice.Client.SendToRoomAsync("nowhere", "refused"));
        return (alice, bob);
    }
}
