using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.ReadState;

/// <summary>The refusals of read-state operations, worded once so both stores say the same thing.</summary>
public static class ReadStateErrors
{
    /// <summary>No message was ever exchanged with <paramref name="user"/>, so there is no conversation to mark read.</summary>
    public static HubRequestException NoConversation(string user) =>
        new($"You have no conversation with '{user}'.", StatusCodes.Status404NotFound, HubErrorCodes.RoomNotFound);

    /// <summary>A read position below zero.</summary>
    public static HubRequestException NegativeSeq(long seq) =>
        new($"Invalid seq {seq}: pass the Seq of the last message read (0 or more).");
}
