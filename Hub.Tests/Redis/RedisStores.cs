using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Storage.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Redis;

/// <summary>Builds the stores' Redis connection and a room store on it, as the node does, for tests below the hub.</summary>
internal static class RedisStores
{
    /// <summary>A store connection with its own key prefix (and <c>Redis:CommandTimeout</c> when given).</summary>
    public static RedisStoreConnection Connect(string configuration, string? trustedCaCertificate = null, ILoggerFactory? logs = null,
        TimeSpan? commandTimeout = null)
    {
        var options = new RedisOptions
        {
            Configuration = configuration,
            Prefix = "t" + Guid.NewGuid().ToString("N")[..8],
            TrustedCaCertificate = trustedCaCertificate,
        };
        options.CommandTimeout = commandTimeout ?? options.CommandTimeout;
        return new(Options.Create(options), logs ?? NullLoggerFactory.Instance);
    }

    /// <summary>The room store over <paramref name="connection"/> (every change is a script).</summary>
    public static RedisRoomStore Rooms(RedisStoreConnection connection) => new(connection, TimeProvider.System);

    /// <summary>Creates a room (a script call) and returns its name.</summary>
    public static async Task<string> CreateRoomAsync(RedisStoreConnection connection, string? room = null)
    {
        room ??= "r" + Guid.NewGuid().ToString("N")[..8];
        await Rooms(connection).CreateAsync("chat", room, "alice", new Hub.Server.Rooms.RoomLimits(100, 100));
        return room;
    }

    /// <summary>Waits until both connections of <paramref name="connection"/> are up.</summary>
    public static Task WaitUntilConnectedAsync(RedisStoreConnection connection) =>
        Poll.UntilAsync(() => connection.IsConnected, "the store connection is up");

    /// <summary>Asserts that <paramref name="call"/> fails with "Store unavailable, retry." well before <paramref name="within"/>.</summary>
    public static async Task AssertUnavailableAsync(Func<Task> call, TimeSpan within)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(call);
        Assert.Equal(StoreUnavailableException.ClientMessage, error.Message);
        Assert.True(started.Elapsed < within, $"The call took {started.Elapsed} to fail; expected under {within}.");
    }
}
