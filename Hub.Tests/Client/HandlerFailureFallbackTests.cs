using Hub.Client;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>A handler's failure that neither a logger nor a <see cref="HubClientBase.HandlerFailed"/> handler hears of.</summary>
[Collection(nameof(StandardErrorCollection))]
public sealed class HandlerFailureFallbackTests
{
    [Fact]
    public async Task Without_a_logger_or_a_HandlerFailed_handler_a_handler_failure_is_written_to_standard_error()
    {
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            await using var host = await TestHubHost.StartAsync();
            await using var client = new ChatClient(host.Address);
            var handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.OnMessage((envelope, _) => envelope.Id == "bad" ? throw new InvalidOperationException("handler bug") : Task.CompletedTask);
            client.OnMessage((envelope, _) =>
            {
                handled.TrySetResult();
                return Task.CompletedTask;
            });
            await client.StartAsync();

            await using (var driver = await RawHubConnection.ConnectAsync(host.Url("/protocol")))
            {
                await driver.InvokeAsync("SendMessagesToOthers", [new[] { "bad" }]);
            }

            // The next handler runs after the failure was reported.
            await handled.Task.WaitAsync(TestTimeouts.Default);
        }
        finally
        {
            Console.SetError(original);
        }

        var text = captured.ToString();
        Assert.Contains("a handler of the OnMessage event threw on message bad", text);
        Assert.Contains("System.InvalidOperationException: handler bug", text);
    }
}
