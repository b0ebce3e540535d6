using HikiConsult.Contracts;

namespace HikiConsult.Server.Tests;

/// <summary>
/// Role × endpoint × someone else's data. The data belong to client X, assigned to "counselor"; session S is X's
/// (not a family session). Callers: the assigned counselor, another counselor, a supervisor, an admin, X's avatar
/// device, X's family device, another client's device, and nobody. Whatever a caller may not see is 404, never 403.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.World world) : IClassFixture<AuthorizationMatrixTests.World>
{
    private const string Anonymous = "anonymous";

    public static TheoryData<string, string, string, int> Matrix()
    {
        var data = new TheoryData<string, string, string, int>();
        void Row(string method, string path, params (string Actor, int Status)[] expectations)
        {
            foreach (var (actor, status) in expectations)
            {
                data.Add(actor, method, path, status);
            }
        }

        // Client records.
        Row("GET", "/api/clients/{client}", ("counselor", 200), ("otherCounselor", 404), ("supervisor", 200), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("GET", "/api/clients/{client}/sessions", ("counselor", 200), ("otherCounselor", 404), ("supervisor", 200), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("POST", "/api/clients/{client}/pairing-codes", ("counselor", 201), ("otherCounselor", 404), ("supervisor", 201), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("POST", "/api/clients/{client}/consents", ("counselor", 200), ("otherCounselor", 404), ("supervisor", 200), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("POST", "/api/clients/{client}/counselors", ("counselor", 404), ("otherCounselor", 404), ("admin", 404), ("device", 404), ("family", 404), (Anonymous, 401));
        Row("POST", "/api/clients/{client}/erasure", ("counselor", 404), ("otherCounselor", 404), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("GET", "/api/clients", ("counselor", 200), ("otherCounselor", 200), ("supervisor", 200), ("admin", 404), ("device", 404), ("family", 404), (Anonymous, 401));
        Row("POST", "/api/clients", ("counselor", 201), ("supervisor", 201), ("admin", 404), ("device", 404), ("family", 404), (Anonymous, 401));

        // Sessions and their history.
        Row("POST", "/api/sessions", ("counselor", 201), ("otherCounselor", 404), ("supervisor", 201), ("admin", 404), ("device", 404), ("family", 404), (Anonymous, 401));
        foreach (var path in new[] { "/api/sessions/{session}", "/api/sessions/{session}/events", "/api/sessions/{session}/transcript" })
        {
            Row("GET", path, ("counselor", 200), ("otherCounselor", 404), ("supervisor", 200), ("admin", 404), ("device", 200), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        }

        Row("GET", "/api/sessions/{familySession}/events", ("counselor", 200), ("device", 404), ("family", 200), ("otherDevice", 404), ("admin", 404));
        Row("POST", "/api/sessions/{cancelSession}/cancel", ("otherCounselor", 404), ("admin", 404), ("device", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));

        // Devices.
        Row("DELETE", "/api/devices/{victimDevice}", ("otherCounselor", 404), ("admin", 404), ("family", 404), ("otherDevice", 404), (Anonymous, 401));
        Row("GET", "/api/devices/me/sessions", ("counselor", 404), ("supervisor", 404), ("admin", 404), ("device", 200), ("family", 200), (Anonymous, 401));

        // Accounts and audit: admin only.
        Row("GET", "/api/users", ("admin", 200), ("counselor", 404), ("supervisor", 404), ("device", 404), (Anonymous, 401));
        Row("POST", "/api/users", ("counselor", 404), ("supervisor", 404), ("device", 404), (Anonymous, 401));
        Row("GET", "/api/audit", ("admin", 200), ("counselor", 404), ("supervisor", 404), ("device", 404), (Anonymous, 401));
        Row("GET", "/api/runtime", ("admin", 200), ("counselor", 404), ("supervisor", 404), ("device", 404), (Anonymous, 401));
        Row("GET", "/api/auth/me", ("counselor", 200), ("admin", 200), ("device", 200), (Anonymous, 401));
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Caller_gets_the_expected_status(string actor, string method, string pathTemplate, int expected)
    {
        var path = pathTemplate
            .Replace("{client}", world.Scenario.Client.Id)
            .Replace("{session}", world.Scenario.Session.Id)
            .Replace("{familySession}", world.FamilySession.Id)
            .Replace("{cancelSession}", world.CancelSession.Id)
            .Replace("{victimDevice}", world.VictimDevice.DeviceId);
        object? body = method switch
        {
            "GET" or "DELETE" => null,
            _ when path.EndsWith("/pairing-codes") => new CreatePairingCodeRequest(DeviceKinds.Avatar),
            _ when path.EndsWith("/consents") => new { scope = "Matrix consent" },
            _ when path.EndsWith("/counselors") => new { userId = world.OtherCounselor.Id },
            _ when path == "/api/clients" => new CreateClientRequest("Matrix client (fictional)", "en"),
            _ when path == "/api/sessions" => new CreateSessionRequest(world.Scenario.Client.Id, null),
            _ when path == "/api/users" => new { username = "matrix.user", displayName = "Matrix", role = "counselor", password = "long enough password" },
            _ => "",
        };

        using var response = await world.App.SendAsync(new HttpMethod(method), path, world.TokenOf(actor), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{actor} {method} {pathTemplate}: expected {expected}, got {(int)response.StatusCode} {text}");
        if (expected == 404)
        {
            Assert.DoesNotContain(world.Scenario.Client.Alias, text);
        }

        if (actor == "otherCounselor" && pathTemplate == "/api/clients")
        {
            Assert.DoesNotContain(world.Scenario.Client.Id, text);
        }
    }

    public sealed class World : IAsyncLifetime
    {
        public TestServerApp App { get; } = new();

        public Scenario Scenario { get; private set; } = null!;

        public Staff OtherCounselor { get; private set; } = null!;

        public SessionDto FamilySession { get; private set; } = null!;

        public SessionDto CancelSession { get; private set; } = null!;

        public PairDeviceResponse VictimDevice { get; private set; } = null!;

        private readonly Dictionary<string, string> _tokens = [];

        public string? TokenOf(string actor) => actor == Anonymous ? null : _tokens[actor];

        public async Task InitializeAsync()
        {
            App.Start();
            Scenario = await Scenario.CreateAsync(App);
            OtherCounselor = await App.CreateStaffAsync(Roles.Counselor);
            var supervisor = await App.CreateStaffAsync(Roles.Supervisor);
            var admin = await App.CreateStaffAsync(Roles.Admin);
            var family = await App.PairDeviceAsync(Scenario.Counselor.Token, Scenario.Client.Id, DeviceKinds.Family);
            VictimDevice = await App.PairDeviceAsync(Scenario.Counselor.Token, Scenario.Client.Id, DeviceKinds.Robot);
            var otherClient = await App.CreateClientAsync(OtherCounselor.Token);
            var otherDevice = await App.PairDeviceAsync(OtherCounselor.Token, otherClient.Id);
            FamilySession = await App.CreateSessionAsync(Scenario.Counselor.Token, Scenario.Client.Id, familyOnly: true);
            CancelSession = await App.CreateSessionAsync(Scenario.Counselor.Token, Scenario.Client.Id);

            _tokens["counselor"] = Scenario.Counselor.Token;
            _tokens["otherCounselor"] = OtherCounselor.Token;
            _tokens["supervisor"] = supervisor.Token;
            _tokens["admin"] = admin.Token;
            _tokens["device"] = Scenario.Device.AccessToken;
            _tokens["family"] = family.AccessToken;
            _tokens["otherDevice"] = otherDevice.AccessToken;
        }

        public Task DisposeAsync() => App.DisposeAsync().AsTask();
    }
}
