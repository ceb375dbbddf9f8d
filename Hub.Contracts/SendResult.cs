namespace Hub.Contracts;

/// <summary>
/// Returned by every send once the message is stored in every recipient's pending queue: a sender that has
/// a <see cref="SendResult"/> knows the message will be delivered.
/// </summary>
public sealed record SendResult(string Id, DateTimeOffset SentAt);
