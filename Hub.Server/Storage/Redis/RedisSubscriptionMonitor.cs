using Hub.Server.Common;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Watches this node's Redis subscription. A subscription can stop delivering without the socket failing (a known
/// failure of backplanes after a Redis failover), so every <see cref="RedisOptions.ProbeInterval"/> the node publishes
/// a probe on its own channel and expects it back within <see cref="RedisOptions.ProbeTimeout"/>. If it does not
/// come back, the node logs once, reports not ready and replaces the subscription connection
/// (<see cref="RedisSubscriber.ResetAsync"/>, which resubscribes every channel). Whenever a probe comes back after any
/// interruption (silence, a lost subscription connection, a channel subscribed late), <see cref="Gap"/> fires:
/// announcements may have been missed, so subscribers must recover from the queues. It fires only once a probe made
/// the round trip, so the recovery starts when announcements flow again.
/// </summary>
public sealed partial class RedisSubscriptionMonitor : BackgroundService
{
    private readonly RedisStoreConnection _redis;
    private readonly RedisOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly Lock _gate = new();
    private (string Id, TaskCompletionSource Reply)? _probe;
    private TaskCompletionSource _wake = NewSignal();
    private volatile bool _silent;
    // Interruptions counted, and the count the last Gap covered: one that happens while a probe is in flight is still
    // covered by a later Gap.
    private int _interruptions;
    private int _recovered;

    /// <summary>Creates the monitor with a channel of this node's own.</summary>
    public RedisSubscriptionMonitor(RedisStoreConnection redis, IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisSubscriptionMonitor> logger)
    {
        _redis = redis;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _channel = $"{redis.Keys.Prefix}:probe:{Guid.NewGuid():N}";
    }

    /// <summary>Raised when the subscription delivers again after an interruption: announcements may have been missed.</summary>
    public event Action? Gap;

    /// <summary>Why the subscription is not trusted now, or <c>null</c>.</summary>
    public string? NotReadyReason => _silent ? "Redis subscription is silent (probe did not come back); resubscribing." : null;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = _redis.Subscriber;
        subscriber.ConnectionChanged += OnConnectionChanged;
        try
        {
            await using var subscription = await subscriber.SubscribeAsync(_channel, payload => Received(payload!), stoppingToken);
            using var timer = new PeriodicTimer(_options.ProbeInterval, _time);
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            while (true)
            {
                Task wake;
                lock (_gate)
                {
                    wake = _wake.Task;
                }
                if (await Task.WhenAny(tick, wake) == tick)
                {
                    if (!await tick)
                    {
                        break;
                    }
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    lock (_gate)
                    {
                        _wake = NewSignal();
                    }
                }
                await ProbeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            subscriber.ConnectionChanged -= OnConnectionChanged;
        }
    }

    private async Task ProbeAsync(CancellationToken stoppingToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _probe = (id, reply);
        }
        try
        {
            if (await _redis.Subscriber.SubscribePendingAsync(stoppingToken))
            {
                Interrupted(); // Subscribed late: whatever was published before is missed.
            }
            var seen = Volatile.Read(ref _interruptions);
            // The whole round trip counts: a Redis that stalls the publish is as silent as one that drops the message.
            var roundTrip = RoundTripAsync(id, reply.Task, stoppingToken);
            // A publish that fails after the timeout has nobody waiting for it: observe it here.
            _ = roundTrip.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await roundTrip.WaitAsync(_options.ProbeTimeout, _time, stoppingToken);
            var wasSilent = _silent;
            _silent = false;
            if (seen != _recovered)
            {
                _recovered = seen;
                if (wasSilent)
                {
                    Log.ProbeRecovered(_logger);
                }
                else
                {
                    Log.Resubscribed(_logger);
                }
                Gap?.Invoke();
            }
        }
        catch (TimeoutException)
        {
            if (!_silent)
            {
                _silent = true;
                Log.ProbeSilent(_logger, _options.ProbeTimeout);
            }
            Interrupted();
            try
            {
                await _redis.Subscriber.ResetAsync(stoppingToken);
            }
            catch (Exception ex) when (RedisStoreConnection.IsUnavailable(ex))
            {
                // Redis went away meanwhile: the next probe tries again.
            }
        }
        catch (Exception ex) when (ex is StoreUnavailableException || RedisStoreConnection.IsUnavailable(ex))
        {
            // Redis is down: readiness reports it, and announcements published meanwhile are missed.
            Interrupted();
        }
        finally
        {
            lock (_gate)
            {
                if (_probe?.Reply == reply)
                {
                    _probe = null;
                }
            }
        }
    }

    private async Task RoundTripAsync(string id, Task reply, CancellationToken stoppingToken)
    {
        await _redis.PublishAsync(_channel, id, stoppingToken);
        await reply;
    }

    // Only the reply to the probe in flight counts: a late reply to an earlier probe must not vouch for this one.
    private void Received(string id)
    {
        lock (_gate)
        {
            if (_probe is { } probe && probe.Id == id)
            {
                probe.Reply.TrySetResult();
            }
        }
    }

    private void OnConnectionChanged(bool connected)
    {
        if (!connected)
        {
            Interrupted();
            return;
        }
        // Back: probe now rather than at the next tick, so the gap is recovered within a round trip.
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    private void Interrupted() => Interlocked.Increment(ref _interruptions);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
