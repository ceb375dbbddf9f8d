namespace Hub.Tests.Infrastructure;

/// <summary>
/// Tests of two users on two servers: subclasses say what the servers are (one embedded server twice, or two nodes
/// sharing Redis), and whatever they start is disposed when each test ends, last registered first.
/// </summary>
public abstract class TwoHostTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    /// <summary>Starts the server(s) and returns where the first user connects and where the second does.</summary>
    protected abstract Task<(HubTestHost First, HubTestHost Second)> StartHostsAsync();

    /// <summary>Disposes <paramref name="disposable"/> when the test ends, last registered first.</summary>
    protected void DisposeWithTest(IAsyncDisposable disposable) => _disposables.Add(disposable);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }
    }
}
