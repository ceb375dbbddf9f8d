using System.Globalization;
using System.Text.Json;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Bench;

/// <summary>
/// bench/js/fanout.mjs, the load generator on the official JavaScript client (docs/benchmarks.md, "With the official
/// JS client"), against the real server: it must keep working as the protocol changes, and its loss accounting must
/// add up, or its figures mean nothing.
/// </summary>
public sealed class JsFanoutTests
{
    [Theory]
    [InlineData("json", "send")]
    [InlineData("messagepack", "positional")]
    public async Task The_js_load_generator_receives_every_confirmed_message_once_per_member_and_reports_one_json_line(string protocol, string send)
    {
        await using var host = await HubTestHost.StartAsync();

        var run = await ToolProcess.RunAsync("node",
        [
            Repository.Path("bench", "js", "fanout.mjs"), "--url", host.BaseAddress.ToString(),
            "--rooms", "2", "--members", "3", "--publishers", "1", "--workers", "2", "--duration", "1", "--warmup", "0.5",
            "--protocol", protocol, "--send", send,
            // The host runs in this process: charge its CPU to "server".
            "--pids", string.Create(CultureInfo.InvariantCulture, $"server:{Environment.ProcessId}"),
        ]);

        Assert.True(run.ExitCode == 0, $"fanout.mjs exited {run.ExitCode}:{Environment.NewLine}{run.Output}{run.Error}");
        using var result = JsonDocument.Parse(run.Output.Split('\n').Single(line => line.StartsWith('{')));
        var root = result.RootElement;
        long Number(string name) => root.GetProperty(name).GetInt64();

        var sent = Number("sent");
        Assert.True(sent > 0, run.Output);
        // Every confirmed send reached each of the 3 members of its room, none twice.
        Assert.Equal((sent * 3, sent * 3, 0L, 0L), (Number("expectedDeliveries"), Number("receivedDeliveries"), Number("lost"), Number("duplicates")));
        Assert.True(Number("deliveries") > 0, run.Output);
        Assert.True(root.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0, run.Output);
        Assert.True(root.GetProperty("cpu").GetProperty("server").GetProperty("usPerDelivery").GetDouble() > 0, run.Output);
    }
}
