using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Rooms;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>Edits and deletions of room messages: one script in the room's partition (message_edit.lua).</summary>
internal sealed partial class RedisDeliveryStore
{
    public async Task<AppendResult> EditAsync(MessageEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var partition = Keys.RoomPartition(edit.Room);
        RedisResult result;
        try
        {
            result = await _redis.EvaluateAsync(RedisScripts.MessageEdit, Keys.Counter(edit.Ns, partition),
            [
                Keys.Base(edit.Ns, partition), partition, edit.Room, edit.By, edit.Target.ToString(), edit.Deletes ? "d" : "e", edit.ByRoomAdmin ? 1 : 0,
                _time.GetUtcNow().ToUnixTimeMilliseconds(), _options.RoomHistoryLength, RedisEnvelopeCodec.EncodeTrace(edit.Trace),
                RedisEnvelopeCodec.EncodeBody(edit.Body),
            ], cancellationToken);
        }
        catch (StoreUnavailableException ex) when (ex.MayHaveRun)
        {
            // It may have been stored: the caller must not be told "nothing happened".
            throw new StoreOutcomeUnknownException(StoreOutcomeUnknownException.EditClientMessage, ex.InnerException);
        }
        switch ((string?)result[0])
        {
            case "notfound": throw RoomErrors.NotFound(edit.Room);
            case "notmember": throw RoomErrors.NotMember(edit.Room);
            case "nomessage": throw EditErrors.MessageNotFound(edit.TargetId);
            case "notauthor": throw EditErrors.NotAuthor(edit.TargetId, edit.Deletes);
            case "deleted": throw EditErrors.Deleted(edit.TargetId);
        }
        await WaitForReplicasAsync(edit.Ns, [partition], cancellationToken);
        MessageId.TryParse((string?)result[1], out var at);
        return new AppendResult(edit.Body.ToEnvelope(new MessageRef(DeliveryScope.Room(edit.Room), at)), (int)result[2]);
    }
}
