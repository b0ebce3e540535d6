using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests;

/// <summary>
/// Keeps docs/protocol.md true: every marked example must have the shape (property names, nesting, value kinds)
/// of what the server really sends, or be accepted by it; every endpoint and hub method must be documented.
/// </summary>
public sealed class ProtocolDocumentTests : IAsyncLifetime
{
    private static readonly Dictionary<string, Type> Requests = new()
    {
        ["auth.login.request"] = typeof(LoginRequest),
        ["auth.refresh.request"] = typeof(RefreshRequest),
        ["clients.create.request"] = typeof(CreateClientRequest),
        ["clients.pairing-code.request"] = typeof(CreatePairingCodeRequest),
        ["clients.counselors.request"] = typeof(AssignCounselorRequest),
        ["clients.consents.request"] = typeof(RecordConsentRequest),
        ["devices.pair.request"] = typeof(PairDeviceRequest),
        ["sessions.create.request"] = typeof(CreateSessionRequest),
        ["hub.send.request"] = typeof(SendRequest),
        ["users.create.request"] = typeof(CreateUserRequest),
    };

    private readonly TestServerApp _app = new();
    private readonly string _document = ProtocolDocument.Read();

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_example_has_the_shape_of_the_real_thing()
    {
        var examples = ProtocolDocument.Examples(_document, "example");
        var real = await CollectRealPayloadsAsync();
        var bodies = examples.Keys.Where(k => k.StartsWith("hub.body.", StringComparison.Ordinal)).ToList();
        ProtocolDocument.AssertExamplesMatch(examples, real, Requests, alsoKnown: bodies);
        foreach (var (name, type) in Requests)
        {
            Assert.NotNull(examples[name].Deserialize(type, TestServerApp.Json));
        }

        var sendable = SessionEventValidator.StaffKinds.Concat(SessionEventValidator.DeviceKinds).Distinct().Select(k => "hub.body." + k);
        Assert.Equal(sendable.Order(), bodies.Order());
        foreach (var name in bodies)
        {
            var kind = name["hub.body.".Length..];
            var role = kind == EventKinds.Signal ? Roles.Client : Roles.Counselor;
            var normal = SessionEventValidator.Normalize(role, kind, examples[name]);
            Assert.True(JsonElement.DeepEquals(examples[name], normal.Element), $"Example '{name}' is not in normal form: the server stores {normal.Json}");
        }
    }

    [Fact]
    public async Task Every_endpoint_and_hub_method_is_documented()
    {
        var ours = new HashSet<string> { "Auth", "Admin", "Clients", "Devices", "Sessions" };
        var missing = ProtocolDocument.Undocumented(_document, await ProtocolDocument.EndpointsAsync(_app, ours.Contains));
        Assert.True(missing.Count == 0, "Endpoints not in docs/protocol.md: " + string.Join(", ", missing));

        var earlyConsultation = typeof(EarlyConsultationHubMethods).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        var hubMethods = new[] { typeof(CounselorHub), typeof(AvatarHub) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.DeclaringType is { } d && (d == typeof(SessionHub) || d == typeof(CounselorHub) || d == typeof(AvatarHub)) && !m.IsSpecialName)
            .Select(m => m.Name)
            .Where(n => n is not (nameof(SessionHub.OnConnectedAsync) or nameof(SessionHub.OnDisconnectedAsync)) && !earlyConsultation.Contains(n))
            .Distinct()
            .ToList();
        Assert.Equal([HubMethods.EndSession, HubMethods.JoinSession, HubMethods.LeaveSession, HubMethods.Send], hubMethods.Order());
        foreach (var method in hubMethods.Concat([HubMethods.SessionEvent, HubMethods.SessionState]))
        {
            Assert.Contains($"`{method}", _document);
        }
    }

    private async Task<Dictionary<string, JsonElement>> CollectRealPayloadsAsync()
    {
        var real = new Dictionary<string, JsonElement>();
        async Task<JsonElement> Call(string name, int status, HttpMethod method, string path, string? token, object? body = null)
        {
            var element = await _app.ExpectAsync<JsonElement>(status, method, path, token, body);
            if (name.Length > 0)
            {
                real[name] = element;
            }

            return element;
        }

        var staff = await _app.CreateStaffAsync(Roles.Counselor);
        var login = await Call("auth.login.response", 200, HttpMethod.Post, "/api/auth/login", null, new LoginRequest(staff.Username, TestServerApp.Password));
        var token = login.GetProperty("accessToken").GetString()!;
        await Call("auth.me.response", 200, HttpMethod.Get, "/api/auth/me", token);
        await Call("problem.401", 401, HttpMethod.Post, "/api/auth/login", null, new LoginRequest(staff.Username, "wrong"));
        var client = await Call("clients.create.response", 201, HttpMethod.Post, "/api/clients", token, new CreateClientRequest("Sora (fictional)", "ja", "Asia/Tokyo"));
        var clientId = client.GetProperty("id").GetString()!;
        await Call("problem.validation", 400, HttpMethod.Post, "/api/clients", token, new CreateClientRequest("", "en"));
        await Call("problem.404", 404, HttpMethod.Get, "/api/clients/cl_0000000000000000000000000000dead", token);
        await Call("", 200, HttpMethod.Post, $"/api/clients/{clientId}/consents", token, new RecordConsentRequest("Sessions through a home robot"));
        var code = await Call("clients.pairing-code.response", 201, HttpMethod.Post, $"/api/clients/{clientId}/pairing-codes", token, new CreatePairingCodeRequest(DeviceKinds.Robot));
        var device = await Call("devices.pair.response", 201, HttpMethod.Post, "/api/devices/pair", null, new PairDeviceRequest(code.GetProperty("code").GetString()!, "Living room robot"));
        var deviceToken = device.GetProperty("accessToken").GetString()!;
        await Call("clients.list.response", 200, HttpMethod.Get, "/api/clients", token);
        var session = await Call("sessions.create.response", 201, HttpMethod.Post, "/api/sessions", token, new CreateSessionRequest(clientId, DateTimeOffset.UtcNow.AddHours(1)));
        var sessionId = session.GetProperty("id").GetString()!;
        await Call("devices.me.sessions.response", 200, HttpMethod.Get, "/api/devices/me/sessions", deviceToken);

        var counselorPushes = new ConcurrentQueue<(string Method, JsonElement Payload)>();
        await using var counselor = _app.BuildConnection(HubPaths.Counselor, token);
        counselor.On<JsonElement>(HubMethods.SessionEvent, e => counselorPushes.Enqueue((HubMethods.SessionEvent, e)));
        counselor.On<JsonElement>(HubMethods.SessionState, s => counselorPushes.Enqueue((HubMethods.SessionState, s)));
        await counselor.StartAsync();
        await counselor.InvokeAsync<JsonElement>(HubMethods.JoinSession, sessionId, 0L);

        await using var robot = _app.BuildConnection(HubPaths.Avatar, deviceToken);
        await robot.StartAsync();
        real["hub.join.response"] = await robot.InvokeAsync<JsonElement>(HubMethods.JoinSession, sessionId, 0L);

        var ack = await counselor.InvokeAsync<JsonElement>(HubMethods.Send, sessionId, Send("text", new { text = "Good evening. How was your day?" }));
        real["hub.send.response"] = ack;
        await counselor.InvokeAsync<JsonElement>(HubMethods.Send, sessionId, Send("expression", new { name = "relaxed" }));
        await robot.InvokeAsync<JsonElement>(HubMethods.Send, sessionId, Send("text", new { text = "It was quiet." }));
        await robot.InvokeAsync<JsonElement>(HubMethods.Send, sessionId, Send("signal", new { name = "touch", value = "head" }));

        await Call("sessions.get.response", 200, HttpMethod.Get, $"/api/sessions/{sessionId}", token);
        await Call("sessions.events.response", 200, HttpMethod.Get, $"/api/sessions/{sessionId}/events?afterSeq={ack.GetProperty("seq").GetInt64() - 1}&limit=100", token);
        real["hub.end.response"] = await counselor.InvokeAsync<JsonElement>(HubMethods.EndSession, sessionId, "Calm session; next week same time.");

        JsonElement? Push(Func<(string Method, JsonElement Payload), bool> match) =>
            counselorPushes.Where(match).Select(p => (JsonElement?)p.Payload).FirstOrDefault();
        static bool Kind((string Method, JsonElement Payload) p, string kind, string? action = null, string? state = null) =>
            p.Method == HubMethods.SessionEvent && p.Payload.GetProperty("kind").GetString() == kind
            && (action is null || p.Payload.GetProperty("body").GetProperty("action").GetString() == action)
            && (state is null || p.Payload.GetProperty("body").GetProperty("state").GetString() == state);

        var wanted = new Dictionary<string, Func<(string Method, JsonElement Payload), bool>>
        {
            ["hub.push.event.text"] = p => Kind(p, "text"),
            ["hub.push.event.expression"] = p => Kind(p, "expression"),
            ["hub.push.event.signal"] = p => Kind(p, "signal"),
            ["hub.push.event.system.joined"] = p => Kind(p, "system", "joined"),
            ["hub.push.event.system.state"] = p => Kind(p, "system", "state", "ended"),
            ["hub.push.session-state"] = p => p.Method == HubMethods.SessionState,
        };
        foreach (var (name, match) in wanted)
        {
            await Poll.UntilAsync(() => Push(match) is not null, $"the push for {name}");
            real[name] = Push(match)!.Value;
        }

        var admin = await _app.CreateStaffAsync(Roles.Admin);
        await Call("users.create.response", 201, HttpMethod.Post, "/api/users", admin.Token, new CreateUserRequest("k.tanaka", "Counselor Tanaka", Roles.Counselor, "at least ten characters"));
        await Call("audit.list.response", 200, HttpMethod.Get, $"/api/audit?targetId={clientId}", admin.Token);
        await Call("health.response", 200, HttpMethod.Get, "/health", null);
        await Call("runtime.response", 200, HttpMethod.Get, "/api/runtime", admin.Token);
        var supervisor = await _app.CreateStaffAsync(Roles.Supervisor);
        await Call("clients.erasure.response", 200, HttpMethod.Post, $"/api/clients/{clientId}/erasure", supervisor.Token);
        return real;
    }

    private static SendRequest Send(string kind, object body) =>
        new(Guid.NewGuid().ToString("N"), kind, JsonSerializer.SerializeToElement(body, TestServerApp.Json));
}
