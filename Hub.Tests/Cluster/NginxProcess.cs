using System.Diagnostics;
using System.Net.Sockets;
using Hub.Bench.Hosting;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// Real nginx (Debian's package) in front of Hub nodes, with the config the benchmark uses (<see cref="NginxConfig"/>)
/// in a temp directory.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private NginxProcess(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    /// <summary>Where clients connect.</summary>
    public int Port { get; }

    /// <summary>The base URL clients use.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Debian's nginx binary (not on a non-root PATH); a clear error when it is not installed.</summary>
    public static string Executable() => new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("nginx is not installed: run ./test.sh (it installs it) or apt-get install nginx.");

    /// <summary>Starts nginx balancing over <paramref name="upstreams"/>; sticky by client address, or round-robin.</summary>
    public static Task<NginxProcess> StartAsync(IEnumerable<string> upstreams, bool sticky)
    {
        var port = HubServerProcess.FreePort();
        return StartAsync(new NginxConfig(port, [.. upstreams]) { Sticky = sticky, WorkerConnections = 4096 }.Render(), port);
    }

    /// <summary>Starts nginx with the whole <paramref name="config"/>, which listens on <paramref name="port"/>.</summary>
    public static async Task<NginxProcess> StartAsync(string config, int port)
    {
        var nginx = Executable();
        var directory = Directory.CreateTempSubdirectory("hub-nginx-").FullName;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", directory + "/", "-c", configPath })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var result = new NginxProcess(directory, process, port);
        await Poll.UntilAsync(async token =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync(token)} {result.ErrorLog()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, token);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"nginx listens on port {port}", TimeSpan.FromSeconds(10));
        return result;
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
