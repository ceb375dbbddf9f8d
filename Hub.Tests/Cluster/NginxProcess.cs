namespace Hub.Tests.Cluster;

/// <summary>
/// Real nginx (Debian's package) in front of Hub nodes, with the config the benchmark uses (<see cref="NginxConfig"/>)
/// or a config of the test's own, in a temp directory.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ChildProcess _process;

    private NginxProcess(string directory, ChildProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    /// <summary>Where clients connect.</summary>
    public int Port { get; }

    /// <summary>The base URL clients use.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts nginx balancing over <paramref name="upstreams"/>; sticky by client address, or round-robin.</summary>
    public static Task<NginxProcess> StartAsync(IEnumerable<string> upstreams, bool sticky)
    {
        var port = FreePorts.Next();
        return StartAsync(new NginxConfig(port, [.. upstreams]) { Sticky = sticky, WorkerConnections = 4096 }.Render(), port);
    }

    /// <summary>Starts nginx with the whole <paramref name="config"/>, which listens on <paramref name="port"/>.</summary>
    public static async Task<NginxProcess> StartAsync(string config, int port)
    {
        var directory = Directory.CreateTempSubdirectory("hub-nginx-").FullName;
        try
        {
            var process = await NginxServer.StartAsync(config, port, directory, Path.Combine(directory, "output.log"));
            return new NginxProcess(directory, process, port);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
