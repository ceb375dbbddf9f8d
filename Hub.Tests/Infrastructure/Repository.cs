namespace Hub.Tests.Infrastructure;

/// <summary>Where this checkout is: the folder holding <c>Hub.sln</c>, above the test binaries.</summary>
public static class Repository
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = Find();

    /// <summary>The build configuration of the running tests (<c>Debug</c> or <c>Release</c>), from <c>Hub.Tests/bin/{Configuration}/net10.0/</c>.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";

    /// <summary>A path inside the repository.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Hub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Hub.sln not found above " + AppContext.BaseDirectory);
    }
}
