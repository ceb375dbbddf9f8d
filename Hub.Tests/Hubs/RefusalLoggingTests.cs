using System.Net;
using Hub.Client;
using Hub.Contracts;
using Hub.Server.Auth;
using Hub.Server.Rooms;
using Hub.Server.Storage.InMemory;
using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Hubs;

/// <summary>Refusals log one quiet line each, never an Error with a stack trace; unexpected failures still log at Error.</summary>
public sealed class RefusalLoggingTests
{
    private readonly CollectingLoggerProvider _logs = new();

    private Task<HubTestHost> StartAsync(Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        settings ??= [];
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning";
        return HubTestHost.StartAsync(settings, configure: builder =>
        {
            builder.Logging.AddProvider(_logs);
            configure?.Invoke(builder);
        });
    }

    private IReadOnlyList<CollectingLoggerProvider.Entry> Loud => [.. _logs.Entries.Where(e => e.Level >= LogLevel.Error)];

    [Fact]
    public async Task Refused_calls_log_one_debug_line_each_with_no_error_and_no_stack_trace()
    {
        await using var host = await StartAsync();
        await using var alice = await host.ChatAsync("alice");

        for (var i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.JoinRoomAsync($"nowhere{i}"));
        }

        Assert.Empty(Loud);
        var refusals = _logs.Entries.Where(e => e.Category == "Hub.Server.Hubs.HubErrorFilter").ToList();
        Assert.Equal(50, refusals.Count);
        Assert.All(refusals, e =>
        {
            Assert.Equal(LogLevel.Debug, e.Level);
            Assert.Null(e.Exception);
            Assert.DoesNotContain('\n', e.Text);
        });
        Assert.Equal("Refused JoinRoom for alice: Room 'nowhere0' does not exist.", refusals[0].Message);
        Assert.DoesNotContain(_logs.Entries, e => e.Exception?.GetType().Name == "HubException");
    }

    [Fact]
    public async Task A_refused_connection_logs_one_information_line_and_no_error()
    {
        await using var host = await StartAsync(new() { ["Limits:MaxConnectionsPerUser"] = "1" });
        await using var first = await host.ChatAsync("alice");
        await using var raw = RawHubConnection.Create(new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/')), await host.TokenAsync("alice"));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        raw.Closed += _ => closed.TrySetResult();
        await raw.StartAsync().OrTimeout();
        await closed.Task.OrTimeout();

        Assert.Empty(Loud);
        var line = Assert.Single(_logs.Entries, e => e.Category == "Hub.Server.Hubs.HubErrorFilter");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
        Assert.StartsWith("Refused a connection of alice: Too many connections", line.Message);
    }

    [Fact]
    public async Task An_unexpected_exception_is_still_logged_at_error_once_with_its_stack_and_hidden_from_the_client()
    {
        await using var host = await StartAsync(configure: builder => builder.Services.AddSingleton<IRoomStore>(sp =>
            new ListFailingRoomStore(new InMemoryRoomStore(sp.GetRequiredService<InMemoryState>(), TimeProvider.System))));
        await using var alice = await host.ChatAsync("alice");

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.ListRoomsAsync());

        Assert.DoesNotContain("broken", error.Message);
        var loud = Assert.Single(Loud);
        Assert.Equal(LogLevel.Error, loud.Level);
        Assert.IsType<InvalidOperationException>(loud.Exception);
        Assert.Contains("ListRooms", loud.Message);
        Assert.Contains("   at ", loud.Text);
    }

    [Fact]
    public async Task A_token_whose_user_is_not_a_valid_name_gets_401_and_one_information_line()
    {
        await using var host = await StartAsync();
        var token = host.Services.GetRequiredService<TokenIssuer>().Issue("bad name!");
        await using var raw = RawHubConnection.Create(new Uri(host.BaseAddress, HubPaths.Chat.TrimStart('/')), token);

        var refused = await Assert.ThrowsAsync<HubConnectionException>(() => raw.StartAsync().OrTimeout());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(Loud);
        var line = Assert.Single(_logs.Entries, e => e.Message.Contains("bad name!", StringComparison.Ordinal));
        Assert.Equal((LogLevel.Information, AuthServiceCollectionExtensions.Log.Category), (line.Level, line.Category));
        Assert.Null(line.Exception);
        Assert.Contains("Invalid user name 'bad name!'", line.Message);
    }

    /// <summary>The in-memory room store, except that listing fails as a bug would.</summary>
    private sealed class ListFailingRoomStore(IRoomStore inner) : IRoomStore
    {
        public Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, bool isPrivate = false, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(ns, room, owner, limits, isPrivate, cancellationToken);

        public Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(ns, room, user, cancellationToken);

        public Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default) =>
            inner.JoinAsync(ns, room, user, limits, createIfMissing, cancellationToken);

        public Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
            inner.LeaveAsync(ns, room, user, cancellationToken);

        public Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default) => inner.GetAsync(ns, room, cancellationToken);

        public Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The room list is broken.");

        public Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default) =>
            inner.GetMembersAsync(ns, room, cancellationToken);

        public Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default) =>
            inner.GetRoomsOfUserAsync(ns, user, cancellationToken);

        public Task<RoomRoster> GetRosterAsync(string ns, string room, string viewer, CancellationToken cancellationToken = default) =>
            inner.GetRosterAsync(ns, room, viewer, cancellationToken);

        public Task<RoomAccess> GetAccessAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
            inner.GetAccessAsync(ns, room, user, cancellationToken);

        public Task<bool> InviteAsync(string ns, string room, string by, string user, int maxInvites, CancellationToken cancellationToken = default) =>
            inner.InviteAsync(ns, room, by, user, maxInvites, cancellationToken);

        public Task<bool> KickAsync(string ns, string room, string by, string user, CancellationToken cancellationToken = default) =>
            inner.KickAsync(ns, room, by, user, cancellationToken);

        public Task<bool> SetRoleAsync(string ns, string room, string by, string user, string role, CancellationToken cancellationToken = default) =>
            inner.SetRoleAsync(ns, room, by, user, role, cancellationToken);
    }
}
