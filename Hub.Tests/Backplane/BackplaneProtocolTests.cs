using System.Text;
using Hub.Server.Backplane.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Tests.Backplane;

/// <summary>The backplane wire format: every message kind survives a round trip, and damaged input is rejected, not misread.</summary>
public sealed class BackplaneProtocolTests
{
    private static readonly IHubProtocol[] Protocols = [new JsonHubProtocol(), new CountingHubProtocol()];

    [Fact]
    public void An_invocation_round_trips_with_its_exclusions_and_one_serialized_form_per_protocol()
    {
        var message = new SerializedHubMessage(new InvocationMessage("Receive", ["héllo", 42]));

        var payload = BackplaneProtocol.WriteInvocation("node-1", null, ["c1", "c2"], message, Protocols);
        var read = BackplaneProtocol.ReadInvocation(payload);

        Assert.Equal("node-1", read.Origin);
        Assert.Null(read.InvocationId);
        Assert.Equal(["c1", "c2"], read.ExcludedConnectionIds);
        foreach (var protocol in Protocols)
        {
            Assert.Equal(message.GetSerializedMessage(protocol).ToArray(), read.Message.GetSerializedMessage(protocol).ToArray());
        }
    }

    [Fact]
    public void An_invocation_that_expects_a_client_result_carries_its_invocation_id()
    {
        var message = new SerializedHubMessage(new InvocationMessage("inv-7", "Ask", ["q"]));

        var read = BackplaneProtocol.ReadInvocation(BackplaneProtocol.WriteInvocation("node-2", "inv-7", null, message, Protocols));

        Assert.Equal("inv-7", read.InvocationId);
        Assert.Empty(read.ExcludedConnectionIds);
    }

    [Fact]
    public void Group_commands_acks_and_client_results_round_trip()
    {
        var command = new GroupCommand(long.MaxValue, "node-3", GroupAction.Remove, "conn", "group:with:colons");
        Assert.Equal(command, BackplaneProtocol.ReadGroupCommand(BackplaneProtocol.WriteGroupCommand(command)));

        Assert.Equal(300L, BackplaneProtocol.ReadAck(BackplaneProtocol.WriteAck(300)));

        var completion = Encoding.UTF8.GetBytes("{\"type\":3,\"invocationId\":\"i\",\"result\":1}\u001e");
        var result = BackplaneProtocol.ReadReturn(BackplaneProtocol.WriteReturn(new ClientReturn("i", "conn", "json", completion, null)));
        Assert.Equal(("i", "conn", "json", (string?)null), (result.InvocationId, result.ConnectionId, result.ProtocolName, result.Error));
        Assert.Equal(completion, result.Completion.ToArray());

        var error = BackplaneProtocol.ReadReturn(BackplaneProtocol.WriteReturn(new ClientReturn("i", "conn", null, default, "gone")));
        Assert.Equal("gone", error.Error);
        Assert.Null(error.ProtocolName);
    }

    [Fact]
    public void Truncated_unknown_version_and_trailing_bytes_are_rejected()
    {
        var valid = BackplaneProtocol.WriteGroupCommand(new GroupCommand(1, "node", GroupAction.Add, "conn", "group")).ToArray();

        for (var length = 0; length < valid.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => BackplaneProtocol.ReadGroupCommand(valid.AsMemory(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => BackplaneProtocol.ReadGroupCommand((byte[])[.. valid, 0]));
        Assert.Throws<InvalidDataException>(() => BackplaneProtocol.ReadGroupCommand((byte[])[2, .. valid[1..]]));
        Assert.Throws<InvalidDataException>(() => BackplaneProtocol.ReadInvocation(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }));
    }
}
