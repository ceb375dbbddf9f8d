using Hub.Tests.Infrastructure;

namespace Hub.Tests.Web;

/// <summary>
/// The page's pure rules (which text becomes a link, day names, the byte counter, why the message box is disabled,
/// which refusals offer Retry) under Node's test runner: web/test/page-logic.test.mjs.
/// </summary>
public sealed class PageLogicTests
{
    [Fact]
    public async Task The_pages_link_day_counter_and_refusal_rules_hold_under_node()
    {
        var run = await ToolProcess.RunAsync("node", ["--test", Repository.Path("web", "test", "page-logic.test.mjs")],
            workingDirectory: Repository.Path("web"),
            environment: new Dictionary<string, string?> { ["TZ"] = "UTC", ["LANG"] = "en_US.UTF-8", ["LC_ALL"] = null });

        Assert.True(run.ExitCode == 0, $"node --test failed:{Environment.NewLine}{run.Output}{run.Error}");
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
    }
}
