using Hub.Contracts;

namespace Hub.Client;

/// <summary>
/// An application handler of a client event threw (or its task faulted); raised through
/// <see cref="HubClientBase.HandlerFailed"/>.
/// </summary>
/// <param name="EventName">The event whose handler failed: <c>OnMessage</c>, <c>MessageReceived</c>, <c>Resumed</c>, ...</param>
/// <param name="Message">The message being handled, for <c>OnMessage</c> and <c>MessageReceived</c>; otherwise <c>null</c>.</param>
/// <param name="Exception">What the handler threw.</param>
public sealed record HandlerFailure(string EventName, Envelope? Message, Exception Exception);
