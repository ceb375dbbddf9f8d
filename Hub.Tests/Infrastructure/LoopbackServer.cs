using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Infrastructure;

/// <summary>How every test server runs: real Kestrel on 127.0.0.1, a free port chosen by the OS, no console logging.</summary>
public static class LoopbackServer
{
    /// <summary>Binds the app to a free loopback port and silences its logs.</summary>
    public static WebApplicationBuilder UseLoopback(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns the address it bound, ending with a slash (e.g. <c>http://127.0.0.1:41234/</c>).</summary>
    public static async Task<Uri> StartOnLoopbackAsync(this WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
