namespace Hub.Server.Hosting;

/// <summary>The Hub application, composed in one place so <c>Program</c>, tests and tools host the same thing.</summary>
public static class HubApplication
{
    /// <summary>Builds the app: auth, core services, page, endpoints.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Redis:Configuration=...</c>).</param>
    /// <param name="configure">Lets a host adjust the builder (tests: port 0, extra configuration).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        builder.Services.AddHubAuthentication();
        builder.Services.AddHubCore(builder.Configuration);

        var app = builder.Build();
        app.UseHubWebPage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHubEndpoints();
        return app;
    }
}
