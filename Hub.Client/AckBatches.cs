using System.Text;
using System.Text.Json;

namespace Hub.Client;

/// <summary>Splits acknowledgement ids into <c>Ack</c> invocations that respect a count and a message-size bound.</summary>
internal static class AckBatches
{
    // The invocation around the ids with the longest possible invocation id, plus the record separator.
    private static readonly int s_overheadBytes =
        Encoding.UTF8.GetByteCount("{\"type\":1,\"invocationId\":\"18446744073709551615\",\"target\":\"Ack\",\"arguments\":[[]]}") + 1;

    /// <summary>
    /// Cuts <paramref name="ids"/>, in order, into batches of at most <paramref name="maxCount"/> ids whose invocation
    /// JSON is smaller than <paramref name="maxMessageBytes"/>. An id too large to fit on its own is sent alone.
    /// </summary>
    public static List<string[]> Split(IReadOnlyList<string> ids, int maxCount, int maxMessageBytes)
    {
        var batches = new List<string[]>();
        var current = new List<string>();
        var size = s_overheadBytes;
        foreach (var id in ids)
        {
            // Quotes, the JSON-escaped text, and the comma before it (counted for every id: an upper bound).
            var cost = JsonEncodedText.Encode(id).EncodedUtf8Bytes.Length + 3;
            if (current.Count > 0 && (current.Count >= maxCount || size + cost >= maxMessageBytes))
            {
                batches.Add([.. current]);
                current.Clear();
                size = s_overheadBytes;
            }

            current.Add(id);
            size += cost;
        }

        if (current.Count > 0)
        {
            batches.Add([.. current]);
        }

        return batches;
    }
}
