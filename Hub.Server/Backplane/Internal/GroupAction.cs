namespace Hub.Server.Backplane.Internal;

/// <summary>What a group command asks of the node owning the connection (the values are on the wire).</summary>
internal enum GroupAction : byte
{
    /// <summary>Add the connection to the group.</summary>
    Add = 1,

    /// <summary>Remove the connection from the group.</summary>
    Remove = 2,
}
