using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Client.Tests.RealServer;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Client.Tests.Cluster;

/// <summary>
/// The public contract of docs/protocol.md through HAProxy's address, where a cluster's clients reach it: REST answers
/// and refusals, the hubs (negotiate and every later request of a connection on one node, by the affinity cookie), and
/// the same answer from whichever node serves a request.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterContractTests(LocalCluster cluster)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Signing_in_creating_a_client_and_pairing_a_device_through_haproxy_answer_as_documented()
    {
        using var proxy = new HttpClient { BaseAddress = cluster.Proxy };
        var login = await ReadAsync<LoginResponse>(
            await SendAsync(proxy, HttpMethod.Post, "/api/auth/login", null, new { username = "demo.counselor", password = "demo-password" }), HttpStatusCode.OK);
        Assert.Equal(Roles.Counselor, login.User.Role);
        var token = login.AccessToken;

        var createdResponse = await SendAsync(proxy, HttpMethod.Post, "/api/clients", token, new { alias = "Sora (fictional)", language = "ja", timeZone = "Asia/Tokyo" });
        var location = createdResponse.Headers.Location;
        var client = await ReadAsync<ClientDto>(createdResponse, HttpStatusCode.Created);
        Assert.StartsWith("cl_", client.Id, StringComparison.Ordinal);
        Assert.Equal($"/api/clients/{client.Id}", location?.OriginalString);
        Assert.Equal(("Sora (fictional)", "ja", "Asia/Tokyo", "active"), (client.Alias, client.Language, client.TimeZone, client.Status));
        Assert.Equal([login.User.Id], client.AssignedCounselorIds);
        Assert.Equal(JsonSerializer.Serialize(client), JsonSerializer.Serialize(await ReadAsync<ClientDto>(await SendAsync(proxy, HttpMethod.Get, location!.OriginalString, token), HttpStatusCode.OK)));

        var code = await ReadAsync<PairingCodeResponse>(
            await SendAsync(proxy, HttpMethod.Post, $"/api/clients/{client.Id}/pairing-codes", token, new { kind = DeviceKinds.Avatar }), HttpStatusCode.Created);
        Assert.Matches(@"^\d{4}-\d{4}$", code.Code);

        // A code is used up on every node at once: paired on node 1, refused on node 2.
        using var node1 = new HttpClient { BaseAddress = LocalCluster.Node(1) };
        using var node2 = new HttpClient { BaseAddress = LocalCluster.Node(2) };
        var pairRequest = new { code = code.Code, deviceName = "Living room tablet" };
        var device = await ReadAsync<PairDeviceResponse>(await SendAsync(node1, HttpMethod.Post, "/api/devices/pair", null, pairRequest), HttpStatusCode.Created);
        Assert.Equal((client.Id, DeviceKinds.Avatar), (device.ClientId, device.Kind));
        var reused = await ReadProblemAsync(await SendAsync(node2, HttpMethod.Post, "/api/devices/pair", null, pairRequest), HttpStatusCode.BadRequest);
        Assert.StartsWith("The pairing code is not valid", reused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The device's token is good through HAProxy, and the client record shows the device.
        Assert.Empty(await ReadAsync<IReadOnlyList<SessionDto>>(await SendAsync(proxy, HttpMethod.Get, "/api/devices/me/sessions", device.AccessToken), HttpStatusCode.OK));
        var paired = await ReadAsync<ClientDto>(await SendAsync(proxy, HttpMethod.Get, $"/api/clients/{client.Id}", token), HttpStatusCode.OK);
        var shown = Assert.Single(paired.Devices);
        Assert.Equal((device.DeviceId, DeviceKinds.Avatar, false), (shown.DeviceId, shown.Kind, shown.Revoked));
    }

    [Fact]
    public async Task A_bad_input_through_haproxy_is_a_400_validation_problem_naming_the_field_and_nothing_is_kept()
    {
        using var proxy = new HttpClient { BaseAddress = cluster.Proxy };
        var token = (await SignInAsync("demo.counselor")).AccessToken;
        var before = await ReadAsync<IReadOnlyList<ClientDto>>(await SendAsync(proxy, HttpMethod.Get, "/api/clients", token), HttpStatusCode.OK);

        var noAlias = await ReadProblemAsync(await SendAsync(proxy, HttpMethod.Post, "/api/clients", token, new { alias = "", language = "en" }), HttpStatusCode.BadRequest);
        var badZone = await ReadProblemAsync(await SendAsync(proxy, HttpMethod.Post, "/api/clients", token, new { alias = "Kai (fictional)", timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest);

        Assert.Equal(["alias"], noAlias.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(["timeZone"], badZone.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.All([noAlias, badZone], problem => Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject().Single().Value.EnumerateArray()));
        var after = await ReadAsync<IReadOnlyList<ClientDto>>(await SendAsync(proxy, HttpMethod.Get, "/api/clients", token), HttpStatusCode.OK);
        Assert.Equal(before.Select(c => c.Id), after.Select(c => c.Id));
    }

    [Fact]
    public async Task A_client_the_caller_may_not_see_is_the_same_404_as_one_that_does_not_exist_through_haproxy_and_every_node()
    {
        var owner = await SignInAsync("demo.counselor");
        var client = await new HikiConsultApi(new HttpClient { BaseAddress = cluster.Proxy }, owner.AccessToken).CreateClientAsync("Hidden (fictional)", "en");

        // Another counselor of the clinic, not assigned to the client.
        var username = $"other.{Guid.NewGuid():N}"[..24];
        var admin = await LocalCluster.AdminAsync(cluster.Proxy);
        using var proxy = new HttpClient { BaseAddress = cluster.Proxy };
        using (var created = await SendAsync(proxy, HttpMethod.Post, "/api/users", admin.AccessToken, new { username, displayName = "Other counselor", role = Roles.Counselor, password = "other-password" }))
        {
            created.EnsureSuccessStatusCode();
        }

        var other = await SignInAsync(username, "other-password");

        foreach (var server in Servers())
        {
            using var http = new HttpClient { BaseAddress = server };
            var hidden = await ReadProblemAsync(await SendAsync(http, HttpMethod.Get, $"/api/clients/{client.Id}", other.AccessToken), HttpStatusCode.NotFound);
            var missing = await ReadProblemAsync(await SendAsync(http, HttpMethod.Get, "/api/clients/cl_00000000000000000000000000000000", other.AccessToken), HttpStatusCode.NotFound);
            Assert.Equal(WithoutTraceId(missing), WithoutTraceId(hidden));
            using var visible = await SendAsync(http, HttpMethod.Get, $"/api/clients/{client.Id}", owner.AccessToken);
            Assert.Equal(HttpStatusCode.OK, visible.StatusCode);
        }
    }

    [Fact]
    public async Task The_same_reads_answer_the_same_through_haproxy_and_each_node()
    {
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);

        // The device stays joined while the reads run, so that nothing in the session changes under them.
        await using var device = await clinic.JoinAsync(cluster.Proxy, asCounselor: false);
        await device.SendAsync(EventKinds.Text, new { text = "the same on every node" });
        await device.SendAsync(EventKinds.Text, new { text = "and through HAProxy" });

        var token = clinic.Counselor.AccessToken;
        string[] reads =
        [
            $"/api/clients/{clinic.Session.ClientId}",
            $"/api/clients/{clinic.Session.ClientId}/sessions",
            $"/api/sessions/{clinic.Session.Id}",
            $"/api/sessions/{clinic.Session.Id}/events?afterSeq=0&limit=100",
        ];
        foreach (var path in reads)
        {
            var answers = new List<(Uri Server, string Body)>();
            foreach (var server in Servers())
            {
                using var http = new HttpClient { BaseAddress = server };
                using var response = await SendAsync(http, HttpMethod.Get, path, token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                answers.Add((server, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString()));
            }

            Assert.All(answers, a => Assert.Equal(answers[0].Body, a.Body));
        }

        var events = await clinic.StoredEventsAsync();
        Assert.Equal(["the same on every node", "and through HAProxy"], events.Select(EventAssertions.Text).OfType<string>());
    }

    [Fact]
    public async Task Join_send_ack_and_history_through_haproxy_with_negotiate_and_socket_on_one_node()
    {
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);

        // SessionConnection negotiates (stateful reconnect) and then opens the socket: two requests that must reach one node.
        await using var counselor = await clinic.JoinAsync(cluster.Proxy, asCounselor: true);
        await using var device = await clinic.JoinAsync(cluster.Proxy, asCounselor: false);
        var counselorEvents = new EventCollector(counselor);
        var deviceEvents = new EventCollector(device);

        var question = await counselor.SendAsync(EventKinds.Text, new { text = "did you sleep?" });
        var request = new SendRequest(SessionConnection.NewClientMsgId(), EventKinds.Text, JsonSerializer.SerializeToElement(new { text = "a little" }));
        var answer = await device.SendAsync(request);
        await deviceEvents.WaitForTextAsync("did you sleep?");
        await counselorEvents.WaitForTextAsync("a little");
        Assert.Equal(question.Seq + 1, answer.Seq);
        Assert.False(answer.Duplicate);

        // A resend (same clientMsgId) is acknowledged with the same seq and stored once, whichever node takes it.
        var resent = await device.SendAsync(request);
        Assert.Equal((answer.Seq, true), (resent.Seq, resent.Duplicate));

        // History from a join through HAProxy after a seq: exactly what came after it.
        await using var late = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.Proxy, HubPaths.Counselor), o => o.AccessTokenProvider = () => Task.FromResult(clinic.Counselor.AccessToken))
            .Build();
        await late.StartAsync();
        var joined = await late.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, clinic.Session.Id, question.Seq - 1);
        Assert.Equal([question.Seq, answer.Seq], joined.Events.Select(e => e.Seq));
        Assert.Equal(["did you sleep?", "a little"], joined.Events.Select(EventAssertions.Text));
        EventAssertions.AssertSameEvents(joined.Events, [.. (await clinic.StoredEventsAsync()).Where(e => e.Seq >= question.Seq)]);
    }

    [Fact]
    public async Task A_long_polling_connection_through_haproxy_keeps_to_the_node_its_affinity_cookie_names()
    {
        // Long polling (a browser's fallback) makes every send and every poll a request of its own: without the
        // affinity cookie HAProxy's round robin would take most of them to nodes that do not hold the connection.
        var clinic = await Clinic.SetUpAsync(cluster.Proxy);
        var cookies = new CookieContainer();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(cluster.Proxy, HubPaths.Counselor), HttpTransportType.LongPolling, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult(clinic.Counselor.AccessToken);
                o.Cookies = cookies;
            })
            .Build();
        var pushed = new System.Collections.Concurrent.ConcurrentDictionary<long, TaskCompletionSource<SessionEventDto>>();
        TaskCompletionSource<SessionEventDto> Push(long seq) => pushed.GetOrAdd(seq, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        hub.On<SessionEventDto>(HubMethods.SessionEvent, e => Push(e.Seq).TrySetResult(e));

        await hub.StartAsync();
        var node = Assert.Single(cookies.GetAllCookies(), c => c.Name == "HCNODE").Value;
        Assert.Matches("^node[1-3]$", node);
        await hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, clinic.Session.Id, 0L);

        for (var i = 1; i <= 6; i++)
        {
            var text = $"over long polling {i}";
            var ack = await hub.InvokeAsync<SendAck>(
                HubMethods.Send, clinic.Session.Id, new SendRequest(SessionConnection.NewClientMsgId(), EventKinds.Text, JsonSerializer.SerializeToElement(new { text })));
            Assert.Equal(text, EventAssertions.Text(await Push(ack.Seq).Task.WaitAsync(EventAssertions.Generous)));
        }

        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Equal(node, Assert.Single(cookies.GetAllCookies(), c => c.Name == "HCNODE").Value);
    }

    /// <summary>HAProxy, then each node at its own address.</summary>
    private IEnumerable<Uri> Servers() => [cluster.Proxy, .. Enumerable.Range(1, LocalCluster.NodeCount).Select(LocalCluster.Node)];

    private async Task<LoginResponse> SignInAsync(string username, string password = "demo-password") =>
        await new HikiConsultApi(new HttpClient { BaseAddress = cluster.Proxy }).LoginAsync(username, password);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await http.SendAsync(request);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonSerializer.Deserialize<T>(text, Json)!;
        }
    }

    /// <summary>A ProblemDetails answer (RFC 9457) with <paramref name="expected"/> as its status, as a JSON object.</summary>
    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var problem = await ReadAsync<JsonElement>(response, expected);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static string WithoutTraceId(JsonElement problem)
    {
        var node = JsonNode.Parse(problem.GetRawText())!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }
}
