using System.Globalization;
using System.Text.RegularExpressions;

namespace Hub.Contracts;

/// <summary>
/// A refusal as the server sends it: the human text, a stable <see cref="HubErrorCodes">code</see>, whether a retry can
/// help, and for a rate limit when. SignalR gives an error only a text, so the rest rides in a fixed suffix of it, which
/// plain clients can show as it is (or cut off) and typed clients parse.
/// </summary>
/// <param name="Message">The human text, e.g. <c>Room 'x' does not exist.</c></param>
/// <param name="Code">The code, one of <see cref="HubErrorCodes"/>.</param>
/// <param name="IsRetryable">Whether retrying the same call unchanged can succeed.</param>
/// <param name="RetryAfter">For <see cref="HubErrorCodes.RateLimited"/>, how long until a retry can succeed.</param>
public sealed partial record HubError(string Message, string Code, bool IsRetryable = false, TimeSpan? RetryAfter = null)
{
    // What ASP.NET Core SignalR puts before a HubException's message in a completion or close error, e.g.
    // "An unexpected error occurred invoking 'Send' on the server. HubException: " or "Connection closed with an error. HubException: ".
    private const string SignalRMarker = "HubException: ";

    /// <summary>
    /// The text to throw as the <c>HubException</c> message. Wire form (the suffix after one space, at the very end):
    /// <code>
    /// {message} [{code}]
    /// {message} [{code}; retryable]
    /// {message} [{code}; retryable; retry-after={seconds, invariant, up to 3 decimals}]
    /// e.g. "Rate limit exceeded: ... retry after 1 s. [rate_limited; retryable; retry-after=0.25]"
    /// </code>
    /// </summary>
    /// <returns>The message with its suffix.</returns>
    public string ToWireText()
    {
        var suffix = Code;
        if (IsRetryable)
        {
            suffix += "; retryable";
        }

        if (RetryAfter is { } retryAfter)
        {
            suffix += "; retry-after=" + Math.Round(Math.Max(0, retryAfter.TotalSeconds), 3).ToString("0.###", CultureInfo.InvariantCulture);
        }

        return $"{Message} [{suffix}]";
    }

    /// <summary>
    /// Reads an error text as a client receives it: SignalR's prefix (up to <c>HubException: </c>) is dropped, and the
    /// suffix of <see cref="ToWireText"/> parsed. A text without the suffix (an unexpected server error) reads as
    /// <see cref="HubErrorCodes.ServerError"/>, not retryable, with the text after SignalR's prefix as its message.
    /// </summary>
    /// <param name="text">The error text of a completion or close message.</param>
    /// <returns>The error.</returns>
    public static HubError Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf(SignalRMarker, StringComparison.Ordinal);
        var body = at >= 0 ? text[(at + SignalRMarker.Length)..] : text;
        var match = SuffixPattern().Match(body);
        if (!match.Success)
        {
            return new HubError(body, HubErrorCodes.ServerError);
        }

        TimeSpan? retryAfter = null;
        var retryable = false;
        foreach (Capture option in match.Groups["option"].Captures)
        {
            if (option.Value == "retryable")
            {
                retryable = true;
            }
            else if (option.Value.StartsWith("retry-after=", StringComparison.Ordinal)
                && double.TryParse(option.Value["retry-after=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }

            // Other options are for newer clients: ignored, so servers can add them.
        }

        return new HubError(body[..match.Index], match.Groups["code"].Value, retryable, retryAfter);
    }

    [GeneratedRegex(@" \[(?<code>[a-z][a-z0-9_]*)(?:; (?<option>[a-z][a-z0-9_-]*(?:=[^;\]\s]*)?))*\]\z")]
    private static partial Regex SuffixPattern();
}
