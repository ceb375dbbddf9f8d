using Hub.Tests.Infrastructure;

namespace Hub.Tests.Architecture;

/// <summary>
/// Hub.Server's folders depend on each other in one direction only (docs/architecture.md, "Folders"): read from the
/// sources, so a change that makes two folders use each other fails here, naming the loop.
/// </summary>
public sealed class FolderDependencyTests
{
    private static readonly string ServerDirectory = Repository.Path("Hub.Server");

    [Fact]
    public void No_two_folders_of_the_server_depend_on_each_other_directly_or_through_others()
    {
        var graph = Server();

        Assert.True(graph.Cycles().Count == 0, "Folder cycles in Hub.Server: " + string.Join("; ", graph.Cycles()));
    }

    [Fact]
    public void Every_server_file_declares_its_folders_namespace_so_imports_show_what_it_uses()
    {
        Assert.Empty(Server().Misplaced);
    }

    [Fact]
    public void The_shared_basics_in_Common_use_no_other_folder()
    {
        Assert.Empty(Server().Edges["Common"]);
    }

    [Fact]
    public void A_cycle_through_an_import_a_qualified_name_and_an_extension_method_is_found_and_named()
    {
        var graph = FolderGraph.Build("App",
        [
            ("A/One.cs", "using App.B;\nnamespace App.A;\npublic class One { Two? _two; }"),
            ("B/Two.cs", "namespace App.B;\npublic class Two { App.C.Three? _three; }"),
            ("C/Three.cs", "namespace App.C;\npublic class Three { void M(IServiceCollection s) => s.AddOne(); }"),
            ("A/OneExtensions.cs", "namespace Microsoft.Extensions.DependencyInjection;\npublic static class OneExtensions { public static IServiceCollection AddOne(this IServiceCollection s) => s; }"),
            ("D/Four.cs", "namespace App.D;\npublic class Four { B.Two? _two; }"),
            ("Program.cs", "using App.A;"),
        ]);

        Assert.Equal(["A -> B -> C -> A"], graph.Cycles());
        Assert.Equal(["B"], graph.Edges["D"]);
    }

    [Fact]
    public void A_file_whose_namespace_is_another_folders_is_reported()
    {
        var graph = FolderGraph.Build("App", [("A/One.cs", "namespace App.B;\npublic class One;")]);

        Assert.Equal(["A/One.cs (namespace App.B)"], graph.Misplaced);
    }

    private static FolderGraph Server() => FolderGraph.Build("Hub.Server", Directory
        .EnumerateFiles(ServerDirectory, "*.cs", SearchOption.AllDirectories)
        .Select(path => Path.GetRelativePath(ServerDirectory, path))
        .Where(path => !path.StartsWith("bin", StringComparison.Ordinal) && !path.StartsWith("obj", StringComparison.Ordinal))
        .Select(path => (path, File.ReadAllText(Path.Combine(ServerDirectory, path)))));
}
