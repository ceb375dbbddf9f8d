using System.Threading.Channels;
using Hub.Contracts;
using Hub.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hub.Server.Delivery;

/// <summary>
/// Sends stored messages to this node's connections of one namespace. It subscribes to the store's announcements
/// (in store order) and handles them one at a time, so every connection sees messages in the order they were stored;
/// at connect it redelivers the user's pending queue before switching the connection to live.
/// </summary>
/// <typeparam name="THub">The namespace's hub.</typeparam>
public sealed partial class DeliveryDispatcher<THub> : BackgroundService
    where THub : Microsoft.AspNetCore.SignalR.Hub, INamespaceHub
{
    private readonly IDeliveryStore _store;
    private readonly IHubContext<THub> _hub;
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly LocalConnections _connections = new();
    private readonly Channel<StoredMessage> _inbox = Channel.CreateUnbounded<StoredMessage>(new() { SingleReader = true });
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HubNamespace _ns = THub.Namespace;

    /// <summary>Creates the dispatcher of <typeparamref name="THub"/>'s namespace.</summary>
    public DeliveryDispatcher(IDeliveryStore store, IHubContext<THub> hub, IOptions<DeliveryOptions> options, ILogger<DeliveryDispatcher<THub>> logger)
    {
        _store = store;
        _hub = hub;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Number of connections of this namespace on this node.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Completes once the store subscription is in place (readiness).</summary>
    public Task Subscribed => _subscribed.Task;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var subscription = await _store.SubscribeAsync(_ns.Name, m => _inbox.Writer.TryWrite(m), OnGap, stoppingToken);
            _subscribed.TrySetResult();
            await foreach (var message in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                var live = _connections.Route(message);
                if (live.Count > 0)
                {
                    await SendLiveAsync(live, message.Envelope, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Live announcements may have been lost: close this node's connections so each client reconnects and gets its
    // queue redelivered. Heavy-handed but exact; it only happens when Redis itself was interrupted.
    private void OnGap() => Log.GapRecovered(_logger, _ns.Name, AbortConnections());

    private async Task SendLiveAsync(List<string> connectionIds, Envelope envelope, CancellationToken stoppingToken)
    {
        // One call for all local recipients: the lifetime manager serializes the message once per protocol.
        // A connection too slow to take it within the timeout is aborted by SignalR; the message stays in its user's
        // queue and is redelivered when the client reconnects, so a slow client cannot hold up everyone else.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.LiveSendTimeout);
        try
        {
            await _hub.Clients.Clients(connectionIds).SendCoreAsync(_ns.MessageEvent, [envelope], timeout.Token);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.LiveSendFailed(_logger, _ns.Name, envelope.Id, ex);
        }
    }
}
