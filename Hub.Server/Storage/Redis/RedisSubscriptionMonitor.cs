using System.Text;
using Hub.Redis;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Watches this node's Redis subscription. A subscription can stop delivering without the socket failing (a known
/// failure of backplanes after a Redis failover), so every <see cref="RedisOptions.ProbeInterval"/> the node publishes
/// a probe on its own channel and expects it back within <see cref="RedisOptions.ProbeTimeout"/>. If it does not
/// come back, the node logs once, reports not ready and resets the subscription connection (which resubscribes).
/// Whenever the subscription comes back after any interruption, <see cref="Gap"/> fires: announcements may have
/// been missed, so subscribers must recover from the queues.
/// </summary>
public sealed partial class RedisSubscriptionMonitor : BackgroundService
{
    private readonly RedisStoreConnection _redis;
    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly Lock _gate = new();
    private TaskCompletionSource<string>? _probe;
    private volatile bool _silent;
    private bool _interrupted;

    /// <summary>Creates the monitor with a channel of this node's own.</summary>
    public RedisSubscriptionMonitor(RedisStoreConnection redis, IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisSubscriptionMonitor> logger)
    {
        _redis = redis;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _channel = $"{redis.Keys.Prefix}:probe:{Guid.NewGuid():N}";
    }

    /// <summary>Raised when the subscription is back after an interruption: announcements may have been missed.</summary>
    public event Action? Gap;

    /// <summary>Why the subscription is not trusted now, or <c>null</c>.</summary>
    public string? NotReadyReason => _silent ? "Redis subscription is silent (probe did not come back); resubscribing." : null;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = await _redis.GetClientAsync(stoppingToken);
        client.ConnectionStateChanged += OnStateChanged;
        try
        {
            await using var subscription = await client.SubscribeAsync(_channel, (_, payload) => Received(Encoding.UTF8.GetString(payload.Span)), stoppingToken);
            using var timer = new PeriodicTimer(_options.ProbeInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ProbeAsync(client, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            client.ConnectionStateChanged -= OnStateChanged;
        }
    }

    private async Task ProbeAsync(RedisClient client, CancellationToken stoppingToken)
    {
        if (!client.IsConnected)
        {
            return; // A down connection is reported by the connection state; nothing to probe.
        }
        var nonce = Guid.NewGuid().ToString("N");
        var probe = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _probe = probe;
        }
        try
        {
            await client.PublishAsync(_channel, Encoding.UTF8.GetBytes(nonce), stoppingToken);
            while (await probe.Task.WaitAsync(_options.ProbeTimeout, _time, stoppingToken) != nonce)
            {
                // A late answer to an earlier probe: keep waiting for this one.
                probe = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _probe = probe;
                }
            }
            if (_silent)
            {
                _silent = false;
                LogProbeRecovered(_logger);
                Gap?.Invoke();
            }
        }
        catch (TimeoutException)
        {
            if (!_silent)
            {
                _silent = true;
                LogProbeSilent(_logger, _options.ProbeTimeout);
            }
            client.ResetSubscriptionConnection("The subscription probe did not come back.");
        }
        catch (RedisException)
        {
            // Redis went away between the check and the publish: the connection state reports it.
        }
    }

    private void Received(string nonce)
    {
        lock (_gate)
        {
            _probe?.TrySetResult(nonce);
        }
    }

    private void OnStateChanged(object? sender, RedisConnectionStateChangedEventArgs e)
    {
        if (e.Connection != RedisConnectionKind.Subscription)
        {
            return;
        }
        bool raise;
        lock (_gate)
        {
            raise = e.IsConnected && _interrupted;
            _interrupted = !e.IsConnected;
        }
        if (raise)
        {
            LogResubscribed(_logger);
            Gap?.Invoke();
        }
    }

    [LoggerMessage(400, LogLevel.Error, "Redis subscription is silent: a probe did not come back within {Timeout}. Reporting not ready and resubscribing.")]
    private static partial void LogProbeSilent(ILogger logger, TimeSpan timeout);

    [LoggerMessage(401, LogLevel.Information, "Redis subscription delivers again after being silent.")]
    private static partial void LogProbeRecovered(ILogger logger);

    [LoggerMessage(402, LogLevel.Warning, "Redis subscription is back after an interruption; connections will resume from their queues.")]
    private static partial void LogResubscribed(ILogger logger);
}
