using Spectre.Console;

namespace Hub.Bench.Reporting;

/// <summary>Writes the final results: a table on the terminal, Markdown, or JSON.</summary>
public static class ResultPrinter
{
    /// <summary>The table (to stdout), with one detail line per run below it.</summary>
    public static void WriteTable(IReadOnlyList<ScenarioResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

        // Redirected output has no width; Spectre would assume 80 columns and wrap every cell of a 17-column table.
        if (Console.IsOutputRedirected || console.Profile.Width < 200)
        {
            console.Profile.Width = 240;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("Hub.Bench results");
        foreach (var header in ResultColumns.Headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        }

        foreach (var result in results)
        {
            table.AddRow([.. ResultColumns.Cells(result).Select(c => new Text(c))]);
        }

        console.Write(table);
        foreach (var result in results)
        {
            var details = ResultColumns.Details(result);
            if (details.Length > 0)
            {
                console.WriteLine($"{result.Scenario}/{result.Mode} ({result.Parameters}): {details}");
            }
        }
    }

    /// <summary>A Markdown table plus detail lines, ready for docs/benchmarks.md.</summary>
    public static void WriteMarkdown(IReadOnlyList<ScenarioResult> results, TextWriter writer)
    {
        writer.WriteLine("| " + string.Join(" | ", ResultColumns.Headers) + " |");
        writer.WriteLine("|" + string.Concat(ResultColumns.Headers.Select((_, i) => i < 3 ? " --- |" : " ---: |")));
        foreach (var result in results)
        {
            writer.WriteLine("| " + string.Join(" | ", ResultColumns.Cells(result).Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        writer.WriteLine();
        foreach (var result in results)
        {
            var details = ResultColumns.Details(result);
            if (details.Length > 0)
            {
                writer.WriteLine($"- {result.Scenario}/{result.Mode} ({result.Parameters}): {details}");
            }
        }
    }
}
