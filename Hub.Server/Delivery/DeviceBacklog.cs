namespace Hub.Server.Delivery;

/// <summary>What a device has to read at connect: its epoch and, per scope, where it is to be read from.</summary>
/// <param name="Epoch">
/// The device's epoch: changes when its delivery state was lost (store flushed, process restarted in memory mode, or
/// the device forgotten), so a client that knew another epoch is told it may have missed messages.
/// </param>
/// <param name="Scopes">
/// The device's scopes: its user's stream, every room the user is a member of, every conversation the user is in.
/// </param>
public sealed record DeviceBacklog(string Epoch, IReadOnlyList<BacklogScope> Scopes);
