using Microsoft.Extensions.FileProviders;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the chat page (the repository's <c>web/</c> folder, copied to <c>wwwroot</c> at build) at <c>/</c>.</summary>
public static class WebPageExtensions
{
    /// <summary>Adds default files and static files from the built page.</summary>
    public static WebApplication UseHubWebPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
