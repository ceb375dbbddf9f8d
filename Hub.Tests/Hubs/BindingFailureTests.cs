using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>A call that does not bind to a hub method is told what the method takes (documented in docs/protocol.md).</summary>
public sealed class BindingFailureTests
{
    [Fact]
    public async Task Calls_with_wrong_arguments_are_told_the_parameters_and_the_connection_stays_up()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var raw = await host.RawChatAsync("alice");

        var missing = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.SendToRoom, ["general"]));
        var wrongType = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.GetHistory, ["general", null, "ten"]));
        var unknown = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync("Nope", []));

        Assert.Equal("Failed to invoke 'SendToRoom' due to an error on the server. HubException: SendToRoom takes (string room, string text). [invalid_argument]", missing.Message);
        Assert.Equal("Failed to invoke 'GetHistory' due to an error on the server. HubException: GetHistory takes (string room, string? before, number limit). [invalid_argument]",
            wrongType.Message);
        Assert.Equal("Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.", unknown.Message);
        Assert.Empty(await raw.InvokeAsync<RoomInfo[]>(HubMethods.ListRooms, []));
    }

    [Fact]
    public async Task A_method_of_another_namespace_does_not_exist_here()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var raw = await RawHubConnection.ConnectAsync(new Uri(host.BaseAddress, HubPaths.Notifications.TrimStart('/')), await host.TokenAsync("alice"));

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => raw.InvokeAsync(HubMethods.CreateRoom, []));

        Assert.Equal("Failed to invoke 'CreateRoom' due to an error on the server. HubException: Method does not exist.", error.Message);
    }
}
