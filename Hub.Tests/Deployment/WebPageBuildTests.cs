using Hub.Tests.Infrastructure;

namespace Hub.Tests.Deployment;

/// <summary>The build makes the chat page (npm in web/), so it needs Node.js, and says so when it is missing.</summary>
public sealed class WebPageBuildTests
{
    [Fact]
    public async Task Building_without_node_stops_with_a_message_saying_what_to_install()
    {
        // A PATH with the .NET SDK and a shell but no node or npm.
        var bin = Directory.CreateTempSubdirectory("hub-no-node-").FullName;
        try
        {
            var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "/usr/bin/dotnet";
            File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet);
            File.CreateSymbolicLink(Path.Combine(bin, "sh"), "/bin/sh");

            var result = await ToolProcess.RunAsync(Path.Combine(bin, "dotnet"),
                ["msbuild", Repository.Path("Hub.Server", "Hub.Server.csproj"), "-t:HubWebCheckNode", "-nologo", "-v:m"],
                timeout: TimeSpan.FromMinutes(2),
                environment: new Dictionary<string, string?> { ["PATH"] = bin, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDDISABLENODEREUSE"] = "1" });

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Node.js is needed to build the chat page in web/", result.Output + result.Error);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }
}
