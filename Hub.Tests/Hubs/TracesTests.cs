using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Hub.Server.Telemetry;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// A send is one trace: <c>hub.send</c>, its <c>hub.store</c> call, and a <c>hub.dispatch</c> on every node. In the
/// metrics collection (alone): an <see cref="ActivityListener"/> hears every host in the process, so each test also
/// picks its own activities out by the message id.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class TracesTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracesTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HubActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task An_embedded_send_is_one_trace_from_the_hub_method_through_the_store_call_to_the_dispatch()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "traced");
        await bob.WaitForMessageAsync("traced");

        var dispatches = await DispatchesAsync(sent.Id, 1);
        var send = Assert.Single(_stopped, a => a.OperationName == "hub.send" && Equals(a.GetTagItem("hub.message.id"), sent.Id));
        Assert.Equal("chat", send.GetTagItem("hub.namespace"));
        Assert.Equal("rooms", send.GetTagItem("hub.target.kind"));
        Assert.Equal("general", send.GetTagItem("hub.room"));
        var store = Assert.Single(_stopped, a => a.OperationName == "hub.store" && a.ParentSpanId == send.SpanId);
        Assert.Equal("append", store.GetTagItem("hub.store.operation"));
        Assert.Equal(send.TraceId, store.TraceId);
        var dispatch = Assert.Single(dispatches);
        Assert.Equal(send.TraceId, dispatch.TraceId);
        Assert.Equal(send.SpanId, dispatch.ParentSpanId);
    }

    [Fact]
    public async Task With_redis_every_nodes_dispatch_joins_the_senders_trace()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var nodes = await RedisNodes.StartAsync(redis, 2);
        await using var alice = await nodes[0].ChatAsync("alice");
        await using var bob = await nodes[1].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "traced");
        await bob.WaitForMessageAsync("traced");

        // One dispatcher of the chat namespace per node: two dispatches are both nodes'.
        var dispatches = await DispatchesAsync(sent.Id, 2);
        var send = Assert.Single(_stopped, a => a.OperationName == "hub.send" && Equals(a.GetTagItem("hub.message.id"), sent.Id));
        Assert.All(dispatches, dispatch =>
        {
            Assert.Equal(send.TraceId, dispatch.TraceId);
            Assert.Equal(send.SpanId, dispatch.ParentSpanId);
            Assert.True(dispatch.HasRemoteParent);
        });
    }

    [Fact]
    public async Task With_an_otlp_endpoint_configured_the_send_is_exported_there()
    {
        var exported = new ConcurrentQueue<string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder().UseLoopback();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            // Protobuf keeps strings as UTF-8 bytes: span names and attribute values can be looked for as text.
            exported.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
            return Results.Ok();
        });
        var endpoint = await collector.StartOnLoopbackAsync();
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");

        var sent = await alice.Client.SendToRoomAsync("general", "exported");

        await Poll.UntilAsync(() => exported.Any(e => e.Contains("hub.send", StringComparison.Ordinal) && e.Contains(sent.Id, StringComparison.Ordinal)),
            "the collector receives the hub.send span");
    }

    private async Task<List<Activity>> DispatchesAsync(string id, int count)
    {
        List<Activity> found = [];
        await Poll.UntilAsync(() =>
        {
            found = [.. _stopped.Where(a => a.OperationName == "hub.dispatch" && Equals(a.GetTagItem("hub.message.id"), id))];
            return found.Count >= count;
        }, $"{count} hub.dispatch of {id}");
        Assert.Equal(count, found.Count);
        return found;
    }
}
