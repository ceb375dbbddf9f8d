using System.Net;
using System.Net.Http.Json;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// The production topology with real processes: redis-server (or a Redis Cluster), Hub.Server nodes and nginx in front (sticky by client
/// address, or round-robin); clients connect only through nginx. Everything it started, clients included, is stopped
/// when it is disposed.
/// </summary>
public sealed class NginxCluster : IAsyncDisposable
{
    private const string SigningKey = "cluster-test-signing-key-0123456789abcdef";

    // The redis-server this cluster started, or null when it runs on a Redis someone else owns.
    private readonly RedisServerFixture? _redis;
    private readonly List<HubServerProcess> _nodes;
    private readonly List<HubUser<ChatClient>> _users = [];
    private readonly HttpClient _http;

    private NginxCluster(RedisServerFixture? redis, List<HubServerProcess> nodes, NginxProcess nginx, bool sticky)
    {
        _redis = redis;
        _nodes = nodes;
        Nginx = nginx;
        Sticky = sticky;
        _http = new HttpClient { BaseAddress = nginx.BaseAddress };
    }

    /// <summary>The nodes, in the order they were started.</summary>
    public IReadOnlyList<HubServerProcess> Nodes => _nodes;

    /// <summary>nginx, where clients connect.</summary>
    public NginxProcess Nginx { get; }

    /// <summary>Whether nginx balances by client address (then clients negotiate); otherwise round-robin, WebSockets only.</summary>
    public bool Sticky { get; }

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes (with <paramref name="settings"/> on top) and nginx, on the Redis
    /// <paramref name="redisConfiguration"/> names (a Redis Cluster's endpoints, say; left running at dispose) or, when
    /// null, on a redis-server of its own.
    /// </summary>
    public static async Task<NginxCluster> StartAsync(int nodeCount, bool sticky, IReadOnlyDictionary<string, string>? settings = null,
        string? redisConfiguration = null)
    {
        var redis = redisConfiguration is null ? await RedisServerFixture.StartNewAsync() : null;
        var nodes = new List<HubServerProcess>();
        try
        {
            var all = new Dictionary<string, string>
            {
                ["Redis:Configuration"] = redisConfiguration ?? redis!.ConnectionString,
                ["Redis:Prefix"] = "lb" + Guid.NewGuid().ToString("N")[..8],
                ["Auth:SigningKey"] = SigningKey,
                ["Auth:DevTokens"] = "true",
                ["Limits:SendsPerSecond"] = "100000",
                ["Limits:SendBurst"] = "100000",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                all[key] = value;
            }
            for (var i = 0; i < nodeCount; i++)
            {
                nodes.Add(await HubServerProcess.StartAsync(all));
            }
            return new NginxCluster(redis, nodes, await NginxProcess.StartAsync(nodes.Select(n => n.Address), sticky), sticky);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            if (redis is not null)
            {
                await redis.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>
    /// A chat user connected through nginx (negotiating when sticky, WebSockets only otherwise), reconnecting fast;
    /// disposed with the cluster.
    /// </summary>
    public Task<HubUser<ChatClient>> ConnectAsync(string user) => ConnectAsync(user, Nginx.BaseAddress);

    /// <summary>
    /// <paramref name="count"/> users (<c>user0</c>, <c>user1</c>, ...) connected through nginx, the first owning
    /// <paramref name="room"/> and the others members of it.
    /// </summary>
    public async Task<IReadOnlyList<HubUser<ChatClient>>> ConnectRoomAsync(string room, int count)
    {
        var members = new List<HubUser<ChatClient>>();
        for (var i = 0; i < count; i++)
        {
            members.Add(await ConnectAsync($"user{i}"));
        }
        await members[0].Client.CreateRoomAsync(room);
        foreach (var member in members.Skip(1))
        {
            await member.Client.JoinRoomAsync(room);
        }
        return members;
    }

    /// <summary>A chat user connected to <paramref name="node"/> itself, past nginx; disposed with the cluster.</summary>
    public Task<HubUser<ChatClient>> ConnectDirectlyAsync(HubServerProcess node, string user) =>
        ConnectAsync(user, new Uri($"http://{node.Address}/"));

    private async Task<HubUser<ChatClient>> ConnectAsync(string user, Uri baseAddress)
    {
        var token = await IssueTokenAsync(user);
        var hubUser = new HubUser<ChatClient>(user, new ChatClient(baseAddress, new HubClientOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            SkipNegotiation = !Sticky,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        }));
        lock (_users)
        {
            _users.Add(hubUser);
        }
        await hubUser.Client.StartAsync().OrTimeout();
        return hubUser;
    }

    // The dev token endpoint stands in for the application's own sign-in service, so it is scaffolding, not what the
    // tests judge. nginx does not pass a POST that reached a node on to the next one (it is not idempotent to nginx),
    // so a node that drops the request while it stops or starts answers 502 once; asking again reaches another node.
    private async Task<string> IssueTokenAsync(string user)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest(user));
            if (attempt < 3 && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable)
            {
                continue;
            }
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        }
    }

    /// <summary>
    /// Connects newcomers through nginx, bounded in time, until <paramref name="node"/> holds a chat connection (one of
    /// them, or a client reconnecting), and returns the newcomers: nginx keeps a node that failed out for its
    /// <c>fail_timeout</c> (2 s), so it can take a few. Each is a real client. Fails the test when the node takes none.
    /// </summary>
    public async Task<IReadOnlyList<HubUser<ChatClient>>> ConnectUntilNodeTakesConnectionsAsync(HubServerProcess node, string namePrefix)
    {
        var newcomers = new List<HubUser<ChatClient>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        // Paced, so the wait for nginx's fail_timeout costs a handful of clients, not hundreds.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (await node.ChatConnectionsAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the node on {node.Address} took no connection within 20 s");
            newcomers.Add(await ConnectAsync($"{namePrefix}{newcomers.Count}"));
            await pace.WaitForNextTickAsync();
        }
        return newcomers;
    }

    public async ValueTask DisposeAsync()
    {
        HubUser<ChatClient>[] users;
        lock (_users)
        {
            users = [.. _users];
        }
        foreach (var user in users.Reverse())
        {
            await user.DisposeAsync();
        }
        _http.Dispose();
        await Nginx.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
