using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Client;

/// <summary>What the test hub saw, shared by all its connections in one test host; tests await conditions on it.</summary>
public sealed class TestHubState
{
    private readonly Lock _lock = new();
    private readonly List<string[]> _ackCalls = [];
    private readonly List<string?> _connectEpochs = [];
    private readonly List<string?> _accessTokens = [];
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The epoch the hub reports in <c>Resumed</c>.</summary>
    public string Epoch { get; set; } = "epoch-1";

    /// <summary>When set, requests to /hubs/* are answered 401, as a server that no longer accepts the token would.</summary>
    public bool RejectConnections { get; set; }

    /// <summary>
    /// The next this many negotiations hand out a connection token no server knows, as a load
    /// balancer does when the negotiation and the WebSocket reach different nodes.
    /// </summary>
    public int UnknownNegotiations { get; set; }

    /// <summary>The next this many connections fail in <c>OnConnectedAsync</c>, as Hub's do when the store is down.</summary>
    public int FailingConnects { get; set; }

    /// <summary>Counts down <see cref="FailingConnects"/>; true when this connection is to fail.</summary>
    public bool TakeFailingConnect()
    {
        lock (_lock)
        {
            if (FailingConnects <= 0)
            {
                return false;
            }

            FailingConnects--;
            return true;
        }
    }

    /// <summary>Negotiations received (any hub path).</summary>
    public int Negotiations { get; private set; }

    /// <summary>Counts a negotiation; true when it is to hand out an unknown connection token.</summary>
    public bool TakeNegotiation()
    {
        lock (_lock)
        {
            Negotiations++;
            if (UnknownNegotiations <= 0)
            {
                return false;
            }
            UnknownNegotiations--;
            return true;
        }
    }

    /// <summary>Every <c>Ack</c> invocation's ids, in arrival order.</summary>
    public IReadOnlyList<string[]> AckCalls
    {
        get
        {
            lock (_lock)
            {
                return [.. _ackCalls];
            }
        }
    }

    /// <summary>The <c>epoch</c> query parameter of every connection, in connect order (null when absent).</summary>
    public IReadOnlyList<string?> ConnectEpochs
    {
        get
        {
            lock (_lock)
            {
                return [.. _connectEpochs];
            }
        }
    }

    /// <summary>The <c>access_token</c> query parameter of every connection, in connect order.</summary>
    public IReadOnlyList<string?> AccessTokens
    {
        get
        {
            lock (_lock)
            {
                return [.. _accessTokens];
            }
        }
    }

    /// <summary>How many connections are open now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Aborts every open connection from the server side.</summary>
    public void AbortAll()
    {
        foreach (var context in _connections.Values)
        {
            context.Abort();
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> after 10 s.</summary>
    public async Task WaitUntilAsync(Func<TestHubState, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }
        }
    }

    internal void Connected(HubCallerContext context, string? epoch, string? accessToken)
    {
        _connections[context.ConnectionId] = context;
        lock (_lock)
        {
            _connectEpochs.Add(epoch);
            _accessTokens.Add(accessToken);
        }

        Signal();
    }

    internal void Disconnected(HubCallerContext context)
    {
        _connections.TryRemove(context.ConnectionId, out _);
        Signal();
    }

    internal void RecordAck(string[] ids)
    {
        lock (_lock)
        {
            _ackCalls.Add(ids);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
