using Hub.Client;
using Hub.Contracts;

namespace Hub.Tests.Client;

/// <summary>The device a client names by default: derived from the machine, the OS user and the program.</summary>
public sealed class DeviceIdTests
{
    [Fact]
    public void The_default_device_id_is_a_valid_name_and_every_new_options_object_has_it()
    {
        Assert.True(HubNames.IsValid(HubClientOptions.DefaultDeviceId), HubClientOptions.DefaultDeviceId);
        Assert.Equal(HubClientOptions.DefaultDeviceId, new HubClientOptions().DeviceId);
        Assert.Matches("^net-[0-9a-f]{24}$", HubClientOptions.DefaultDeviceId);
    }

    [Fact]
    public void The_same_machine_user_and_program_give_the_same_id_and_any_other_gives_another()
    {
        var id = HubClientOptions.DeriveDeviceId("host-1", "svc", "Orders.Worker");

        Assert.Equal(id, HubClientOptions.DeriveDeviceId("host-1", "svc", "Orders.Worker"));
        string[] others =
        [
            HubClientOptions.DeriveDeviceId("host-2", "svc", "Orders.Worker"),
            HubClientOptions.DeriveDeviceId("host-1", "admin", "Orders.Worker"),
            HubClientOptions.DeriveDeviceId("host-1", "svc", "Orders.Api"),
            // The parts are kept apart: moving a character from one part to the next is another device.
            HubClientOptions.DeriveDeviceId("host-1s", "vc", "Orders.Worker"),
        ];
        Assert.DoesNotContain(id, others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }
}
