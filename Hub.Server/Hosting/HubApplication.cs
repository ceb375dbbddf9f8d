namespace Hub.Server.Hosting;

/// <summary>The Hub application, composed in one place so <c>Program</c>, tests and tools host the same thing.</summary>
public static class HubApplication
{
    /// <summary>Builds the app: auth, core services, page, endpoints.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Redis:Configuration=...</c>).</param>
    /// <param name="configure">Lets a host adjust the builder (tests: port 0, extra configuration).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        configure?.Invoke(builder);

        builder.Services.AddHubAuthentication();
        builder.Services.AddHubCore(builder.Configuration);
        builder.Services.AddHubTelemetryExport(builder.Configuration, builder.Environment);
        // Last, so it wraps every provider added above (the host's and the caller's).
        builder.Logging.RedactAccessTokens();

        var app = builder.Build();
        app.UseHubSecurityHeaders();
        app.UseHubWebPage();
        app.UseHubDrainingRefusal();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHubEndpoints();
        return app;
    }

    // appsettings*.json and wwwroot/ sit beside Hub.Server.dll. The default content root is the working directory, so
    // a node started from another folder silently ran without appsettings.json; an explicit content root still wins.
    private static string? ContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
            ? null
            : AppContext.BaseDirectory;
}
