using Hub.Bench.Measurement;
using Hub.Client;

namespace Hub.Bench.Load;

/// <summary>Creates simulated users: a token each, then one connected <see cref="ChatClient"/> each, a bounded number at a time.</summary>
public sealed class UserPool : IAsyncDisposable
{
    private readonly Uri _baseUrl;
    private readonly ClientSettings _settings;
    private readonly LatencyHistogram _latency;
    private readonly TokenClient _tokens;
    private readonly List<SimUser> _users = [];
    private int _connected;

    /// <summary>Creates a pool whose receivers record into <paramref name="latency"/>.</summary>
    public UserPool(Uri baseUrl, ClientSettings settings, LatencyHistogram latency)
    {
        _baseUrl = baseUrl;
        _settings = settings;
        _latency = latency;
        _tokens = new TokenClient(baseUrl);
    }

    /// <summary>Users connected so far (for the progress line).</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Every user created.</summary>
    public IReadOnlyList<SimUser> Users => _users;

    /// <summary>Creates and connects one user per name, in order; <paramref name="publishers"/> sizes each receiver's tables.</summary>
    public async Task<IReadOnlyList<SimUser>> ConnectAsync(IReadOnlyList<string> names, int publishers, CancellationToken cancellationToken)
    {
        var created = new SimUser?[names.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _settings.ConnectConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var token = await _tokens.GetAsync(names[i], ct);
                var client = new ChatClient(_baseUrl, new HubClientOptions
                {
                    AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
                    SkipNegotiation = !_settings.Negotiate,

                    // The benchmark counts duplicates itself, so it must see every raw delivery; acks still go out so queues drain.
                    Deduplicate = false,
                    AutoAck = true,
                    AckInterval = _settings.AckInterval,

                    // On a saturated two-core machine a ping can be late; a spurious timeout would show up as a reconnect.
                    ServerTimeout = TimeSpan.FromSeconds(120),
                    HandshakeTimeout = TimeSpan.FromSeconds(60),
                    ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
                });
                var user = new SimUser(names[i], client, new Receiver(_latency, publishers));
                created[i] = user;
                await client.StartAsync(ct);
                Interlocked.Increment(ref _connected);
            });
        }
        finally
        {
            // Also when a connect failed: the ones that did connect must be stopped by DisposeAsync.
            _users.AddRange(created.OfType<SimUser>());
        }

        return [.. created.OfType<SimUser>()];
    }

    /// <summary>Disconnects every user, a bounded number at a time.</summary>
    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_users.Where(u => u is not null), new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (user, _) => await user.DisposeAsync());
        _users.Clear();
        _tokens.Dispose();
    }
}
