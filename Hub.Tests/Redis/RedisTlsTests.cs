using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hub.Redis;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>TLS through SslStream (<c>ssl=true</c>) against a real redis-server listening only on a TLS port.</summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-tls-").FullName;
    private Process? _redis;
    private int _port;
    private X509Certificate2? _certificate;

    public async Task InitializeAsync()
    {
        // A throwaway self-signed certificate for "localhost", made by openssl as an operator would.
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-keyout", Path.Combine(_directory, "key.pem"), "-out", Path.Combine(_directory, "cert.pem"));
        _certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(_directory, "cert.pem")));

        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--tls-cert-file", Path.Combine(_directory, "cert.pem"), "--tls-key-file", Path.Combine(_directory, "key.pem"),
            "--tls-ca-cert-file", Path.Combine(_directory, "cert.pem"), "--tls-auth-clients", "no",
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
        _certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_client_with_ssl_true_talks_to_a_tls_only_server_whose_certificate_it_trusts()
    {
        var configuration = RedisConfiguration.Parse($"127.0.0.1:{_port},ssl=true,sslHost=localhost,connectTimeout=5000");
        // Trust exactly this self-signed certificate (pinning), as a deployment with a private CA would.
        configuration.CertificateValidation = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == _certificate!.GetCertHashString();

        await using var client = await RedisClient.ConnectAsync(configuration);

        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
        await client.ExecuteAsync("SET", "tls-key", "over tls");
        Assert.Equal("over tls", (await client.ExecuteAsync("GET", "tls-key")).AsString());
    }

    [Fact]
    public async Task A_certificate_the_client_does_not_trust_fails_the_connection_with_a_clear_error()
    {
        var configuration = RedisConfiguration.Parse($"127.0.0.1:{_port},ssl=true,sslHost=localhost,connectTimeout=3000");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisClient.ConnectAsync(configuration));

        Assert.Contains($"127.0.0.1:{_port}", error.Message);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var result = await ToolProcess.RunAsync(file, args);
        Assert.True(result.ExitCode == 0, $"{file} failed: {result.Error}");
    }
}
