using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>What a client sees when its call does not bind to a hub method (documented in docs/protocol.md).</summary>
public sealed class BindingFailureTests
{
    [Fact]
    public async Task Calls_with_wrong_arguments_or_unknown_methods_are_answered_without_closing_the_connection()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var raw = await host.RawChatAsync("alice");

        var missing = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.SendToRoom, ["general"]));
        var wrongType = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.GetHistory, ["general", null, "ten"]));
        var unknown = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync("Nope", []));

        Assert.Equal("Failed to invoke 'SendToRoom' due to an error on the server.", missing.Message);
        Assert.Equal("Failed to invoke 'GetHistory' due to an error on the server.", wrongType.Message);
        Assert.Equal("Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.", unknown.Message);
        Assert.Empty(await raw.InvokeAsync<RoomInfo[]>(HubMethods.ListRooms, []));
    }
}
