using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>
/// TLS (<c>ssl=true</c>) against a real redis-server listening only on a TLS port, with a certificate issued by a
/// private CA, as a deployment would have: the node trusts that CA through <c>Redis:TrustedCaCertificate</c>.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-tls-").FullName;
    private Process? _redis;
    private int _port;

    private string CaFile => Path.Combine(_directory, "ca.pem");

    private string ConnectionString => $"127.0.0.1:{_port},ssl=true,sslHost=localhost,connectTimeout=3000";

    public async Task InitializeAsync()
    {
        // A throwaway CA, and a certificate for "localhost" it issued, made by openssl as an operator would.
        var ca = Path.Combine(_directory, "ca");
        var server = Path.Combine(_directory, "server");
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Hub Test CA",
            "-keyout", ca + "-key.pem", "-out", CaFile);
        await RunAsync("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", server + "-key.pem", "-out", server + ".csr");
        await File.WriteAllTextAsync(server + ".ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        await RunAsync("openssl", "x509", "-req", "-in", server + ".csr", "-CA", CaFile, "-CAkey", ca + "-key.pem", "-CAcreateserial",
            "-days", "1", "-extfile", server + ".ext", "-out", server + ".pem");

        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--tls-cert-file", server + ".pem", "--tls-key-file", server + "-key.pem",
            "--tls-ca-cert-file", CaFile, "--tls-auth-clients", "no",
            "--save", "", "--appendonly", "no", "--dir", _directory,
        })
        {
            start.ArgumentList.Add(arg);
        }
        var redis = _redis = Process.Start(start)!;
        await Poll.UntilAsync(async token =>
        {
            if (redis.HasExited)
            {
                throw new InvalidOperationException($"redis-server (TLS) exited: {await redis.StandardError.ReadToEndAsync(token)}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port, token);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"redis-server listens for TLS on port {_port}", TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_node_trusting_the_private_ca_works_over_tls()
    {
        await using var node = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = ConnectionString,
            ["Redis:TrustedCaCertificate"] = CaFile,
            ["Redis:Prefix"] = "tls",
        });
        await node.WaitUntilReadyAsync();
        await using var alice = await node.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "over tls");
        await alice.WaitForMessageAsync("over tls");
    }

    [Fact]
    public async Task Without_trusting_the_ca_the_connection_stays_down_and_calls_fail_with_store_unavailable()
    {
        await using var connection = RedisStores.Connect(ConnectionString);
        await RedisStores.AssertUnavailableAsync(() => RedisStores.CreateRoomAsync(connection), within: TimeSpan.FromSeconds(10));
        Assert.False(connection.IsConnected);

        await using var trusting = RedisStores.Connect(ConnectionString, trustedCaCertificate: CaFile);
        await RedisStores.WaitUntilConnectedAsync(trusting);
        await RedisStores.CreateRoomAsync(trusting);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var result = await ToolProcess.RunAsync(file, args);
        Assert.True(result.ExitCode == 0, $"{file} failed: {result.Error}");
    }
}
