using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// Every refusal reaches Hub.Client as the server's own words plus a stable code, whether a retry can help, and for a
/// rate limit when (docs/protocol.md, "Errors").
/// </summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public async Task Each_refusal_carries_its_code_and_the_servers_words_without_SignalRs_prefix()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Limits:MaxTextBytes"] = "10" });
        await using var alice = await host.ChatAsync("alice");
        await using var bob = await host.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "first", "k-1");

        async Task<(string Code, string Message, bool Retryable)> Refused(Func<Task> call)
        {
            var error = await Assert.ThrowsAsync<HubInvocationException>(call);
            Assert.Null(error.RetryAfter);
            return (error.Code, error.Message, error.IsRetryable);
        }

        Assert.Equal((HubErrorCodes.RoomNotFound, "Room 'nowhere' does not exist.", false), await Refused(() => bob.Client.JoinRoomAsync("nowhere")));
        Assert.Equal((HubErrorCodes.RoomExists, "Room 'general' already exists.", false), await Refused(() => bob.Client.CreateRoomAsync("general")));
        Assert.Equal((HubErrorCodes.NotOwner, "Only the owner of room 'general' can delete it.", false), await Refused(() => bob.Client.DeleteRoomAsync("general")));
        Assert.Equal((HubErrorCodes.NotMember, "You are not a member of room 'general'.", false), await Refused(() => bob.Client.SendToRoomAsync("general", "hi")));
        Assert.Equal((HubErrorCodes.UserNotFound, "User 'ghost' does not exist.", false), await Refused(() => alice.Client.SendToUserAsync("ghost", "boo")));
        Assert.Equal((HubErrorCodes.TooLarge, "Message too long: 11 bytes; the limit is 10 bytes.", false),
            await Refused(() => alice.Client.SendToRoomAsync("general", new string('x', 11))));
        Assert.Equal(HubErrorCodes.KeyReused, (await Refused(() => alice.Client.SendToRoomAsync("general", "second", "k-1"))).Code);
        var invalid = await Refused(() => alice.Client.CreateRoomAsync("bad name!"));
        Assert.Equal(HubErrorCodes.InvalidArgument, invalid.Code);
        Assert.StartsWith("Invalid room name 'bad name!'", invalid.Message);
        Assert.DoesNotContain("[", invalid.Message);
    }

    [Fact]
    public async Task A_rate_limit_refusal_is_retryable_and_says_exactly_when_the_next_call_can_pass()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:SendsPerSecond"] = "4",
            ["Limits:SendBurst"] = "1",
        }, time);
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "one");
        time.Advance(TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "two"));

        Assert.Equal(HubErrorCodes.RateLimited, error.Code);
        Assert.True(error.IsRetryable);
        Assert.Equal(TimeSpan.FromMilliseconds(150), error.RetryAfter);
        Assert.Equal("Rate limit exceeded: at most 4 messages per second (bursts of 1) per user; retry after 1 s.", error.Message);

        time.Advance(error.RetryAfter!.Value);
        await alice.Client.SendToRoomAsync("general", "two");
    }
}
