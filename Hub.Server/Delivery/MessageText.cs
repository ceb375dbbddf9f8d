using System.Text;
using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>The rule for a chat message's text, shared by sends and edits so both refuse alike.</summary>
public static class MessageText
{
    /// <summary>Returns <paramref name="text"/>, or refuses it when empty or over <paramref name="maxBytes"/> UTF-8 bytes (<c>Limits:MaxTextBytes</c>).</summary>
    /// <exception cref="HubRequestException">No text, or too long (413).</exception>
    public static string Validate(string? text, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HubRequestException("Message text is required.");
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > maxBytes)
        {
            throw new HubRequestException($"Message too long: {bytes} bytes; the limit is {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        return text;
    }
}
