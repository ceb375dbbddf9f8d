using System.IO.Compression;
using System.Security;
using System.Xml.Linq;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>
/// Hub.Client as a NuGet user gets it: packed, installed from a feed into a new console app, run against a server.
/// Slow (pack, restore, build), so one test.
/// </summary>
public sealed class PackageTests
{
    private const string Version = "1.0.0"; // build/Package.props
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(4);

    // No build servers left behind by the child builds, no first-run banners in the output.
    private static readonly Dictionary<string, string?> s_dotnetEnvironment = new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    [Fact]
    public async Task Packed_client_installs_from_a_local_feed_into_a_new_console_app_that_runs_the_sample()
    {
        var work = Directory.CreateTempSubdirectory("hub-package-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            foreach (var project in new[] { "Hub.Contracts", "Hub.Client" })
            {
                await DotnetAsync(Repository.Root, "pack", Repository.Path(project, $"{project}.csproj"), "-c", Repository.Configuration, "-o", feed, "-nologo");
            }

            AssertPackageMetadata(feed, "Hub.Client", dependsOn: "Hub.Contracts");
            AssertPackageMetadata(feed, "Hub.Contracts", dependsOn: "MessagePack");

            var app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), await NuGetConfigAsync(feed, Path.Combine(work, "packages")));
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                </Project>
                """);
            File.Copy(Repository.Path("samples", "Hub.Samples.Console", "Program.cs"), Path.Combine(app, "Program.cs"));

            // With the version, so nothing asks other sources which Hub.Client is newest.
            await DotnetAsync(app, "add", "package", "Hub.Client", "--version", Version);
            await DotnetAsync(app, "build", "-nologo", "-v:q");

            await using var host = await HubTestHost.StartAsync();
            var run = await ToolProcess.RunAsync("dotnet", [Path.Combine(app, "bin", "Debug", "net10.0", "App.dll"), host.BaseAddress.ToString(), "dave"],
                workingDirectory: app, timeout: TimeSpan.FromMinutes(1));
            SampleOutput.AssertRoundTrip(run, "dave");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertPackageMetadata(string feed, string id, string dependsOn)
    {
        using var package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{Version}.nupkg"));
        using var nuspecStream = package.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.NotEqual("Package Description", Value("description"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("signalr", Value("tags") ?? "");
        Assert.NotNull(package.GetEntry("README.md"));
        Assert.Contains(metadata.Descendants().Where(e => e.Name.LocalName == "dependency"), d => (string?)d.Attribute("id") == dependsOn);
        Assert.True(File.Exists(Path.Combine(feed, $"{id}.{Version}.snupkg")), $"{id} has a symbols package.");
    }

    /// <summary>
    /// The local feed for Hub.* beside the machine's own sources for everything else (source mapping, so a package of
    /// the same name elsewhere is never taken), and a package folder of its own, so Hub.Client is unpacked fresh each run;
    /// the machine's package folder is a read-only fallback, so restoring needs no more of the network than the build does.
    /// </summary>
    private static async Task<string> NuGetConfigAsync(string feed, string packages)
    {
        var sources = (await DotnetAsync(Repository.Root, "nuget", "list", "source", "--format", "short")).Output
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('E'))
            .Select((line, i) => (Key: $"machine{i}", Url: line[1..].Trim()))
            .ToList();
        var machinePackages = (await DotnetAsync(Repository.Root, "nuget", "locals", "global-packages", "--list")).Output
            .Trim()["global-packages:".Length..].Trim();

        static string Escape(string value) => SecurityElement.Escape(value);
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Escape(packages)}" />
              </config>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{Escape(machinePackages)}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="local" value="{Escape(feed)}" />
                {string.Concat(sources.Select(s => $"<add key=\"{s.Key}\" value=\"{Escape(s.Url)}\" />"))}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="Hub.Client" />
                  <package pattern="Hub.Contracts" />
                </packageSource>
                {string.Concat(sources.Select(s => $"<packageSource key=\"{s.Key}\"><package pattern=\"*\" /></packageSource>"))}
              </packageSourceMapping>
            </configuration>
            """;
    }

    private static async Task<ToolProcess.Result> DotnetAsync(string workingDirectory, params string[] args)
    {
        var result = await ToolProcess.RunAsync("dotnet", args, workingDirectory, s_toolTimeout, s_dotnetEnvironment);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        return result;
    }
}
