using Hub.Contracts;

namespace Hub.Tests.Client;

/// <summary>The error wire form of docs/protocol.md: written by the server, read by Hub.Client.</summary>
public sealed class HubErrorTests
{
    [Fact]
    public void An_error_read_back_from_its_wire_text_behind_SignalRs_prefix_is_the_same_error()
    {
        HubError[] errors =
        [
            new("Room 'x' does not exist.", HubErrorCodes.RoomNotFound),
            new("Store unavailable, retry.", HubErrorCodes.StoreUnavailable, IsRetryable: true),
            new("Rate limit exceeded; retry after 1 s.", HubErrorCodes.RateLimited, true, TimeSpan.FromMilliseconds(250)),
            new("Text [with brackets] inside.", HubErrorCodes.InvalidArgument),
            new("Ends in [brackets]", HubErrorCodes.InvalidArgument),
            new("Store did not answer in time; the message may have been stored. Retry with the same key.", HubErrorCodes.StoreOutcomeUnknown, IsRetryable: true),
        ];

        foreach (var error in errors)
        {
            Assert.Equal(error, HubError.Parse(error.ToWireText()));
            Assert.Equal(error, HubError.Parse($"An unexpected error occurred invoking 'Send' on the server. HubException: {error.ToWireText()}"));
        }

        Assert.Equal("Rate limit exceeded; retry after 1 s. [rate_limited; retryable; retry-after=0.25]", errors[2].ToWireText());
    }

    [Theory]
    [InlineData("An unexpected error occurred invoking 'Send' on the server.", "An unexpected error occurred invoking 'Send' on the server.")]
    [InlineData("Failed to invoke 'Nope' due to an error on the server. HubException: Method does not exist.", "Method does not exist.")]
    public void A_text_without_the_suffix_reads_as_a_server_error_with_the_text_after_SignalRs_prefix(string text, string message)
    {
        Assert.Equal(new HubError(message, HubErrorCodes.ServerError), HubError.Parse(text));
    }

    [Fact]
    public void Options_a_newer_server_adds_are_ignored()
    {
        Assert.Equal(new HubError("Busy.", "busy", true), HubError.Parse("Busy. [busy; retryable; shard=7]"));
    }
}
