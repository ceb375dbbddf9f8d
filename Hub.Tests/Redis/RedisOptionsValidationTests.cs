using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Redis;

/// <summary>Redis settings StackExchange.Redis cannot use stop the node at start, with a message that names them.</summary>
public sealed class RedisOptionsValidationTests
{
    [Fact]
    public async Task An_option_stackexchange_redis_does_not_know_stops_the_node_at_start_naming_it()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { ["Redis:Configuration"] = "127.0.0.1:1,reconnectBaseDelay=20" }));
        Assert.Contains("reconnectBaseDelay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_ca_file_that_does_not_exist_stops_the_node_at_start()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["Redis:Configuration"] = "127.0.0.1:1,ssl=true",
            ["Redis:TrustedCaCertificate"] = missing,
        }));
        Assert.Contains("TrustedCaCertificate", error.Message, StringComparison.Ordinal);
    }

    private static async Task StartAsync(Dictionary<string, string?> settings)
    {
        await using var node = await HubTestHost.StartAsync(settings);
    }
}
