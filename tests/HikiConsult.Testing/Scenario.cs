using HikiConsult.Contracts;

namespace HikiConsult.Testing;

/// <summary>A counselor, one client assigned to them, a paired device of that client and a scheduled session.</summary>
public sealed record Scenario(Staff Counselor, ClientDto Client, PairDeviceResponse Device, SessionDto Session)
{
    /// <summary>All through the API; the device is a family device for a family-only session, else an avatar.</summary>
    public static async Task<Scenario> CreateAsync(TestServerApp app, string language = "en", Staff? counselor = null, bool familyOnly = false, string? deviceKind = null, string? alias = null)
    {
        counselor ??= await app.CreateStaffAsync(Roles.Counselor);
        var client = await app.CreateClientAsync(counselor.Token, alias, language: language);
        var device = await app.PairDeviceAsync(counselor.Token, client.Id, deviceKind ?? (familyOnly ? DeviceKinds.Family : DeviceKinds.Avatar));
        var session = await app.CreateSessionAsync(counselor.Token, client.Id, familyOnly);
        return new Scenario(counselor, client, device, session);
    }

    /// <summary>Connects the counselor and the device and joins both, until the session is active.</summary>
    public async Task<(HubClient Counselor, HubClient Device)> JoinBothAsync(TestServerApp app)
    {
        var counselor = await app.ConnectAsync(HubPaths.Counselor, Counselor.Token);
        await counselor.JoinAsync(Session.Id);
        var device = await app.ConnectAsync(HubPaths.Avatar, Device.AccessToken);
        await device.JoinAsync(Session.Id);
        await counselor.WaitForStateAsync(s => s.State == SessionStates.Active);
        return (counselor, device);
    }
}
