using HikiConsult.Contracts;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>A counselor, one client assigned to them, a paired device of that client and a scheduled session.</summary>
public sealed record Scenario(Staff Counselor, ClientDto Client, PairDeviceResponse Device, SessionDto Session)
{
    public static async Task<Scenario> CreateAsync(ServerApp app, string deviceKind = DeviceKinds.Avatar, bool familyOnly = false)
    {
        var counselor = await app.CreateStaffAsync(Roles.Counselor);
        var client = await app.CreateClientAsync(counselor.Token);
        var device = await app.PairDeviceAsync(counselor.Token, client.Id, deviceKind);
        var session = await app.CreateSessionAsync(counselor.Token, client.Id, familyOnly);
        return new Scenario(counselor, client, device, session);
    }

    public async Task<(HubClient Counselor, HubClient Device)> JoinBothAsync(ServerApp app)
    {
        var counselor = await app.ConnectAsync(HubPaths.Counselor, Counselor.Token);
        await counselor.JoinAsync(Session.Id);
        var device = await app.ConnectAsync(HubPaths.Avatar, Device.AccessToken);
        await device.JoinAsync(Session.Id);
        await counselor.WaitForStateAsync(s => s.State == SessionStates.Active);
        return (counselor, device);
    }
}
