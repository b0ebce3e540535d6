using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>A counselor with a fresh client, a paired device and a session, set up through the REST API.</summary>
public sealed record Clinic(HikiConsultApi Counselor, HikiConsultApi Device, UserInfo CounselorUser, PairDeviceResponse Pairing, SessionDto Session)
{
    public static async Task<Clinic> SetUpAsync(Uri server, string deviceKind = DeviceKinds.Avatar)
    {
        var counselor = new HikiConsultApi(new HttpClient { BaseAddress = server });
        var login = await counselor.LoginAsync("demo.counselor", "demo-password");
        var client = await counselor.CreateClientAsync($"Test client {Guid.NewGuid().ToString("N")[..6]}", "en");
        var code = await counselor.CreatePairingCodeAsync(client.Id, deviceKind);
        var device = new HikiConsultApi(new HttpClient { BaseAddress = server });
        var pairing = await device.PairDeviceAsync(code.Code, "Test device");
        var session = await counselor.CreateSessionAsync(client.Id);
        return new Clinic(counselor, device, login.User, pairing, session);
    }

    public SessionConnectionOptions CounselorOptions() => new()
    {
        AccessTokenProvider = _ => ValueTask.FromResult(Counselor.AccessToken),
        Self = new SenderDto(CounselorUser.Id, CounselorUser.Role, CounselorUser.DisplayName),
        Backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
    };

    public SessionConnectionOptions DeviceOptions() => new()
    {
        AccessTokenProvider = _ => ValueTask.FromResult(Device.AccessToken),
        Self = new SenderDto(Pairing.DeviceId, Roles.Client, "Test device"),
        Backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
    };

    /// <summary>A started connection of the counselor (or of the device) that has joined the session.</summary>
    public async Task<SessionConnection> JoinAsync(Uri server, bool asCounselor)
    {
        var connection = asCounselor
            ? new SessionConnection(new Uri(server, HubPaths.Counselor), CounselorOptions())
            : new SessionConnection(new Uri(server, HubPaths.Avatar), DeviceOptions());
        await connection.StartAsync();
        await connection.JoinAsync(Session.Id);
        return connection;
    }

    /// <summary>The session's whole log as the server stores it (REST, every page).</summary>
    public async Task<List<SessionEventDto>> StoredEventsAsync()
    {
        var events = new List<SessionEventDto>();
        await foreach (var item in Counselor.GetAllEventsAsync(Session.Id))
        {
            events.Add(item);
        }

        return events;
    }
}
