using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Client.Internal;

/// <summary>
/// Registers one connection's server events so that none is handled before the connection is the client's current one.
/// The server sends <c>Resumed</c> and the redelivered messages as soon as a connection opens, and the official client
/// may hand them over before its <c>StartAsync</c> returned, while the client still reports Connecting or Reconnecting
/// and has no connection to call on: a handler that called a hub method there (from <c>Resumed</c>, say) failed with
/// "not connected". Each handler waits for the connection to be adopted, then runs, or is dropped if the connection
/// never was (the server delivers again what was not acknowledged). The official client runs a connection's handlers
/// one at a time, awaiting each, so the wait keeps their order.
/// </summary>
/// <param name="connection">The connection.</param>
/// <param name="adopted">Completes with true once the connection is the client's current one, false if it never will be.</param>
internal sealed class ServerEvents(HubConnection connection, Task<bool> adopted)
{
    /// <summary>Handles the event with one argument once the connection is adopted.</summary>
    public void On<T1>(string name, Action<T1> handle) => connection.On<T1>(name, a => WhenAdopted(() => Run(() => handle(a))));

    /// <summary>Handles the event with two arguments once the connection is adopted.</summary>
    public void On<T1, T2>(string name, Action<T1, T2> handle) => connection.On<T1, T2>(name, (a, b) => WhenAdopted(() => Run(() => handle(a, b))));

    /// <summary>Handles the event with three arguments once the connection is adopted.</summary>
    public void On<T1, T2, T3>(string name, Action<T1, T2, T3> handle) =>
        connection.On<T1, T2, T3>(name, (a, b, c) => WhenAdopted(() => Run(() => handle(a, b, c))));

    /// <summary>Handles the event with one argument asynchronously once the connection is adopted.</summary>
    public void OnAsync<T1>(string name, Func<T1, Task> handle) => connection.On<T1>(name, a => WhenAdopted(() => handle(a)));

    private static Task Run(Action handle)
    {
        handle();
        return Task.CompletedTask;
    }

    // Once adopted (every event but the first few of a connection, messages included), the handler is called directly:
    // no state machine on the hot path.
    private Task WhenAdopted(Func<Task> handle)
    {
        if (adopted.IsCompletedSuccessfully)
        {
            return adopted.Result ? handle() : Task.CompletedTask;
        }
        return Later(adopted, handle);

        static async Task Later(Task<bool> adopted, Func<Task> handle)
        {
            if (await adopted.ConfigureAwait(false))
            {
                await handle().ConfigureAwait(false);
            }
        }
    }
}
