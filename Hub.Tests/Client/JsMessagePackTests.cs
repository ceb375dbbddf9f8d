using System.Text.Json;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>
/// The official JavaScript client with <c>@microsoft/signalr-protocol-msgpack</c> (web/test/msgpack-client.mjs under
/// Node.js) against the real server: what a browser app on MessagePack sees.
/// </summary>
public sealed class JsMessagePackTests
{
    [Fact]
    public async Task The_javascript_messagepack_client_sends_receives_and_gets_a_notification_payload_as_its_json_text()
    {
        const string payload = """{"order":{"id":7,"lines":[{"sku":"a-1","qty":2,"price":9.95}],"note":"é \"q\""},"tags":[]}""";
        await using var host = await HubTestHost.StartAsync();

        var run = await ToolProcess.RunAsync("node",
            [Repository.Path("web", "test", "msgpack-client.mjs"), host.BaseAddress.ToString(), await host.TokenAsync("jsuser"), HubTestHost.ApiKey, payload],
            workingDirectory: Repository.Path("web"));

        Assert.True(run.ExitCode == 0, $"node failed: {run.Error}");
        using var output = JsonDocument.Parse(run.Output.Trim().Split('\n').Last());
        var chat = output.RootElement.GetProperty("chat");
        var notification = output.RootElement.GetProperty("notification");

        // MessagePack maps carry the .NET property names (PascalCase), as docs/protocol.md says.
        Assert.Equal(("from js", "js", "jsuser", "chat"), (chat.GetProperty("Text").GetString(), chat.GetProperty("Room").GetString(),
            chat.GetProperty("From").GetString(), chat.GetProperty("Ns").GetString()));
        Assert.Equal(1, chat.GetProperty("Seq").GetInt64());
        Assert.Equal("js.test", notification.GetProperty("Type").GetString());

        // The payload travels as its JSON text: a string the page parses back to the same value.
        var payloadText = notification.GetProperty("Payload").GetString()!;
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(payload).RootElement, JsonDocument.Parse(payloadText).RootElement), payloadText);
    }
}
