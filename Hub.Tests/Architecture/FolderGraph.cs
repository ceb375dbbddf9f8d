using System.Text.RegularExpressions;

namespace Hub.Tests.Architecture;

/// <summary>
/// Which top-level folders of a project's sources use which, read from the source text: a file in folder A depends on
/// folder B when it imports <c>Root.B</c> (or below), names <c>Root.B.X</c> fully, names a type of B as <c>B.Type</c>
/// (a sibling namespace seen from inside <c>Root</c>), or calls an extension method that B declares in a framework
/// namespace (Hub puts its DI and endpoint extensions in <c>Microsoft.*</c>, so no import shows them). Subfolders
/// count as their top folder. Files at the root (<c>Program.cs</c>) compose everything and belong to no folder.
/// </summary>
public sealed partial class FolderGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);

    private FolderGraph(IReadOnlyList<string> misplaced) => Misplaced = misplaced;

    /// <summary>Files whose namespace is not their folder's (<c>Root.Folder...</c>) nor a framework one: imports would not show what they use.</summary>
    public IReadOnlyList<string> Misplaced { get; }

    /// <summary>The folders each folder uses (itself excluded).</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges => _edges;

    /// <summary>Builds the graph of <paramref name="sources"/>: (path relative to the project, text) pairs.</summary>
    /// <param name="root">The project's root namespace, e.g. <c>Hub.Server</c>.</param>
    /// <param name="sources">Every C# file of the project.</param>
    public static FolderGraph Build(string root, IEnumerable<(string Path, string Text)> sources)
    {
        var files = sources
            .Select(s => (Folder: TopFolder(s.Path), s.Path, s.Text, Namespace: NamespaceDeclaration().Match(s.Text).Groups[1].Value))
            .Where(f => f.Folder is not null)
            .ToList();
        var misplaced = files
            .Where(f => !(f.Namespace == $"{root}.{f.Folder}" || f.Namespace.StartsWith($"{root}.{f.Folder}.", StringComparison.Ordinal)
                || f.Namespace.StartsWith("Microsoft.", StringComparison.Ordinal)))
            .Select(f => $"{f.Path} (namespace {f.Namespace})")
            .ToList();
        var folders = files.Select(f => f.Folder!).ToHashSet(StringComparer.Ordinal);

        // Types by folder, and the extension methods declared outside the root namespace (found by name only).
        var typesOf = files.GroupBy(f => f.Folder!).ToDictionary(g => g.Key,
            g => g.SelectMany(f => TypeDeclaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var extensionFolder = files
            .Where(f => !f.Namespace.StartsWith(root + ".", StringComparison.Ordinal))
            .SelectMany(f => ExtensionMethod().Matches(f.Text).Select(m => (Method: m.Groups[1].Value, f.Folder)))
            .GroupBy(e => e.Method)
            .ToDictionary(g => g.Key, g => g.First().Folder!, StringComparer.Ordinal);

        var graph = new FolderGraph(misplaced);
        var qualified = new Regex($@"(?<![\w.]){Regex.Escape(root)}\.(\w+)\b");
        foreach (var file in files)
        {
            var uses = new HashSet<string>(StringComparer.Ordinal);
            uses.UnionWith(qualified.Matches(file.Text).Select(m => m.Groups[1].Value));
            foreach (Match m in PartiallyQualified().Matches(file.Text))
            {
                if (typesOf.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
                {
                    uses.Add(m.Groups[1].Value);
                }
            }
            foreach (Match m in MethodCall().Matches(file.Text))
            {
                if (extensionFolder.TryGetValue(m.Groups[1].Value, out var folder))
                {
                    uses.Add(folder);
                }
            }
            uses.IntersectWith(folders);
            uses.Remove(file.Folder!);
            if (!graph._edges.TryGetValue(file.Folder!, out var edges))
            {
                graph._edges[file.Folder!] = edges = new SortedSet<string>(StringComparer.Ordinal);
            }
            edges.UnionWith(uses);
        }
        return graph;
    }

    /// <summary>Every cycle between folders, each as the folders in order with the first repeated at the end (<c>A -> B -> A</c>).</summary>
    public IReadOnlyList<string> Cycles()
    {
        // Each strongly connected component of more than one folder holds a cycle; name one path through it.
        var cycles = new List<string>();
        foreach (var component in StronglyConnected().Where(c => c.Count > 1))
        {
            var start = component.Min(StringComparer.Ordinal)!;
            cycles.Add(string.Join(" -> ", PathWithin(component, start, start)));
        }
        return cycles;
    }

    private List<string> PathWithin(HashSet<string> component, string from, string to)
    {
        // Breadth-first from 'from' back to 'to' inside the component: the shortest cycle through 'from'.
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in _edges.GetValueOrDefault(node) ?? [])
            {
                if (!component.Contains(next))
                {
                    continue;
                }
                if (next == to)
                {
                    var path = new List<string> { to, node };
                    while (path[^1] != from)
                    {
                        path.Add(previous[path[^1]]);
                    }
                    path.Reverse();
                    return path;
                }
                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }
        throw new InvalidOperationException($"{from} is in a cycle but no path leads back to it.");
    }

    // Tarjan's algorithm.
    private List<HashSet<string>> StronglyConnected()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in _edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] == index[node])
            {
                var component = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }
        return components;
    }

    private static string? TopFolder(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        return parts.Length > 1 ? parts[0] : null;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bstatic\s+[\w<>\[\],.? ]+?\s+(\w+)(?:<[^>]*>)?\s*\(\s*this\s")]
    private static partial Regex ExtensionMethod();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)\b")]
    private static partial Regex PartiallyQualified();

    [GeneratedRegex(@"\.(\w+)(?:<[^>()]*>)?\(")]
    private static partial Regex MethodCall();
}
