using Hub.Client;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// Every device of a user gets every message: delivery state is per user and device (the client names its device with
/// <c>device=</c>; Hub.Client sends <see cref="HubClientOptions.DeviceId"/>), so what one device acknowledges is still
/// redelivered to another. Subclasses say where the devices connect: one embedded server, or two nodes sharing Redis
/// (the laptop on one, the phone on the other).
/// </summary>
public abstract class DeviceDeliveryTests : TwoHostTests
{
    [Fact]
    public async Task A_phone_offline_while_the_laptop_acks_gets_every_room_and_direct_message_redelivered_in_order()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using (var phoneOnce = await b.ChatAsync("bob", Device("phone")))
        {
            await phoneOnce.Client.JoinRoomAsync("general");
            await phoneOnce.Client.StopAsync();
        }
        var laptop = await a.ChatAsync("bob", Device("laptop"));

        // 20 room messages and 5 direct messages, interleaved, while the phone is offline.
        string[] room = [.. Enumerable.Range(0, 20).Select(i => $"room {i}")];
        string[] direct = [.. Enumerable.Range(0, 5).Select(i => $"direct {i}")];
        for (var i = 0; i < room.Length; i++)
        {
            await alice.Client.SendToRoomAsync("general", room[i]);
            if (i % 4 == 3)
            {
                await alice.Client.SendToUserAsync("bob", direct[i / 4]);
            }
        }
        await laptop.WaitForAsync(u => u.Messages.Count == 25, "for the 25 messages");
        // Stopping sends the acknowledgements of everything handled: the laptop's cursors move past all 25.
        await laptop.Client.StopAsync();
        await laptop.DisposeAsync();
        await using (var laptopAgain = await a.ChatAsync("bob", Device("laptop")))
        {
            Assert.Equal(0, (await laptopAgain.WaitForResumeAsync()).Redelivered);
        }

        await using var phone = await b.ChatAsync("bob", Device("phone"));

        var resumed = await phone.WaitForResumeAsync();
        Assert.Equal((25, 0L, true), (resumed.Redelivered, resumed.Dropped, resumed.Recovered));
        Assert.All(phone.Messages, m => Assert.True(m.Redelivered));
        // In order within the room and within the conversation (each is its own ordered log).
        Assert.Equal(room, phone.Messages.Where(m => m.Room == "general").Select(m => m.Text));
        Assert.Equal(direct, phone.Messages.Where(m => m.To == "bob").Select(m => m.Text));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), phone.Messages.Where(m => m.Room == "general").Select(m => m.Seq!.Value));
    }

    [Fact]
    public async Task A_device_that_never_connected_before_starts_at_the_present_with_its_own_epoch()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using var laptop = await a.ChatAsync("bob", Device("laptop"));
        await laptop.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "before the tablet");
        await alice.Client.SendToUserAsync("bob", "direct before the tablet");
        await laptop.WaitForMessageAsync("direct before the tablet");

        await using var tablet = await b.ChatAsync("bob", Device("tablet"));

        var resumed = await tablet.WaitForResumeAsync();
        Assert.Equal(0, resumed.Redelivered);
        Assert.NotEqual(laptop.Resumes[0].Epoch, resumed.Epoch);
        await alice.Client.SendToRoomAsync("general", "after the tablet");
        await alice.Client.SendToUserAsync("bob", "direct after the tablet");
        await tablet.WaitForMessageAsync("direct after the tablet");
        Assert.Equal(["after the tablet", "direct after the tablet"], tablet.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Clients_that_name_no_device_are_one_anonymous_device_sharing_its_cursors()
    {
        var (a, b) = await StartHostsAsync();
        await using var alice = await a.ChatAsync("alice");
        await a.ConnectOnceAsync("bob", Device("phone"));
        await using (var anonymous = await a.ChatAsync("bob", Device(null)))
        {
            await alice.Client.SendToUserAsync("bob", "hello");
            await anonymous.WaitForMessageAsync("hello");
            await anonymous.Client.StopAsync();
        }

        // Another client naming none, on another node: the same device, so what the first acknowledged is done.
        await using var again = await b.ChatAsync("bob", o =>
        {
            o.DeviceId = "";
            o.AutoAck = false;
        });
        Assert.Equal(0, (await again.WaitForResumeAsync()).Redelivered);
        // A named device is another device: it still has the message.
        await using var phone = await b.ChatAsync("bob", Device("phone"));
        await phone.WaitForResumeAsync();
        Assert.Equal(["hello"], phone.Messages.Select(m => m.Text));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash/in/it")]
    [InlineData("é")]
    [InlineData("x12345678901234567890123456789012345678901234567890123456789012345")]
    public async Task A_bad_device_id_is_refused_at_connect_with_a_message_saying_what_a_valid_one_is(string device)
    {
        var (a, _) = await StartHostsAsync();

        var closed = await a.ConnectChatExpectingCloseAsync("bob", device);

        Assert.Contains($"Invalid device id '{device}': use 1-64 characters of letters, digits, '_', '.' or '-'.", closed.Message);
        Assert.False(Assert.IsType<HubConnectionClosedException>(closed).AllowReconnect);
        var error = Assert.Throws<ArgumentException>(() => new ChatClient(a.BaseAddress, new HubClientOptions { DeviceId = device }));
        Assert.Contains("DeviceId must be 1-64 characters of letters, digits, '_', '.' or '-'", error.Message);
    }

    private static Action<HubClientOptions> Device(string? id) => o => o.DeviceId = id;
}

/// <summary>The devices on one embedded server.</summary>
public sealed class EmbeddedDeviceDeliveryTests : DeviceDeliveryTests
{
    protected override async Task<(HubTestHost First, HubTestHost Second)> StartHostsAsync()
    {
        var host = await HubTestHost.StartAsync();
        DisposeWithTest(host);
        return (host, host);
    }
}

/// <summary>The devices on two nodes sharing one Redis: the laptop on node A, the phone on node B.</summary>
public sealed class RedisDeviceDeliveryTests : DeviceDeliveryTests
{
    protected override async Task<(HubTestHost First, HubTestHost Second)> StartHostsAsync()
    {
        var redis = await RedisServerFixture.StartNewAsync();
        DisposeWithTest(redis);
        var nodes = await Cluster.RedisNodes.StartAsync(redis, 2);
        DisposeWithTest(nodes);
        return (nodes[0], nodes[1]);
    }
}
