using System.Globalization;

namespace Hub.Bench.Measurement;

/// <summary>
/// The benchmark's message text: <c>{timestamp}|{publisher}|{number}|{m|w}|{padding}</c>. The Stopwatch timestamp is
/// taken in this process, which also receives the message, so end-to-end latency needs no clock sync even across
/// nodes; publisher and number let every receiver detect losses and duplicates; <c>w</c> marks warm-up messages
/// whose latency is not recorded.
/// </summary>
public static class MessageStamp
{
    /// <summary>Formats a message text of about <paramref name="size"/> characters.</summary>
    public static string Format(long timestamp, int publisher, long number, bool measured, int size)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{timestamp}|{publisher}|{number}|{(measured ? 'm' : 'w')}|");
        return head.Length >= size ? head + "x" : head + new string('x', size - head.Length);
    }

    /// <summary>Parses a text made by <see cref="Format"/>; <c>false</c> for any other text (another client's message).</summary>
    public static bool TryParse(string? text, out long timestamp, out int publisher, out long number, out bool measured)
    {
        timestamp = 0;
        publisher = 0;
        number = 0;
        measured = false;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan();
        if (!Next(ref span, out var a) || !long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp)
            || !Next(ref span, out var b) || !int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out publisher)
            || !Next(ref span, out var c) || !long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            || span.Length == 0)
        {
            return false;
        }

        measured = span[0] == 'm';
        return true;
    }

    private static bool Next(ref ReadOnlySpan<char> span, out ReadOnlySpan<char> field)
    {
        var bar = span.IndexOf('|');
        if (bar < 0)
        {
            field = default;
            return false;
        }

        field = span[..bar];
        span = span[(bar + 1)..];
        return true;
    }
}
