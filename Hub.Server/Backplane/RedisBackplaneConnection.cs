using Hub.Server.Storage.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Server.Backplane;

/// <summary>
/// The backplane's StackExchange.Redis connection, made here (and handed to SignalR's Redis backplane through its
/// <c>ConnectionFactory</c>) so that readiness can see it: a node whose backplane is cut off cannot add a new client
/// to its rooms' groups, so it must not report ready.
/// </summary>
public sealed class RedisBackplaneConnection : IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    /// <summary>Reads <c>Redis</c> (<see cref="RedisConnectionConfiguration"/>: the same settings as the stores' connections).</summary>
    public RedisBackplaneConnection(IOptions<RedisOptions> options)
    {
        var redis = options.Value;
        _configuration = RedisConnectionConfiguration.Create(redis);
        _configuration.ChannelPrefix = RedisChannel.Literal(new RedisKeys(redis.Prefix).BackplanePrefix);
        _connection = new(() => ConnectionMultiplexer.ConnectAsync(_configuration), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the connection exists and is up (starting it if nothing asked for it yet).</summary>
    public bool IsConnected => _connection.Value is { IsCompletedSuccessfully: true } connecting && connecting.Result.IsConnected;

    /// <summary>The connection (the same one every time); SignalR's backplane calls it once per hub.</summary>
    /// <param name="log">Where StackExchange.Redis writes its connection log.</param>
    public async Task<IConnectionMultiplexer> ConnectAsync(TextWriter log) => await _connection.Value;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && await _connection.Value.ConfigureAwait(false) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }
}
