namespace Hub.Contracts;

/// <summary>Sent after the backlog of pending messages has been redelivered at connect.</summary>
/// <param name="Redelivered">How many pending messages were redelivered.</param>
/// <param name="Dropped">How many messages the queue bounds (length, age) dropped since the last connect; never silent.</param>
/// <param name="Epoch">The queue's epoch; changes when the server lost the queue's data. Clients echo it back on reconnect.</param>
/// <param name="Recovered"><c>false</c> when the client's last epoch differs from the current one: history may be incomplete.</param>
/// <param name="MaxTextBytes">
/// The longest message text this server accepts, in UTF-8 bytes (<c>Limits:MaxTextBytes</c>), so a client can refuse an
/// over-long message before sending it; <c>null</c> from a server that does not say.
/// </param>
public sealed record ResumeInfo(int Redelivered, long Dropped, string Epoch, bool Recovered, int? MaxTextBytes = null);
