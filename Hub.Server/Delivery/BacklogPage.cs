using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>One page of a scope's backlog.</summary>
/// <param name="Scope">The scope read, with where the next page starts (its last message, or where this one started).</param>
/// <param name="Messages">Messages past the position read from, oldest first.</param>
/// <param name="Dropped">
/// Messages the device had not acknowledged that are no longer there (trimmed by the log's length or age bound)
/// between the position read from and the first message returned.
/// </param>
/// <param name="More">Whether more messages follow this page.</param>
public sealed record BacklogPage(BacklogScope Scope, IReadOnlyList<Envelope> Messages, long Dropped, bool More);
