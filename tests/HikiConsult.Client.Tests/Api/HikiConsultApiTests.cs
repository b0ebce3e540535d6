using System.Net;
using System.Text;
using HikiConsult.Client.Api;
using HikiConsult.Contracts;

namespace HikiConsult.Client.Tests.Api;

/// <summary>Client-side behaviour of the REST helper against a recorded HTTP exchange (the server's own behaviour is covered by the integration tests).</summary>
public sealed class HikiConsultApiTests
{
    [Fact]
    public async Task Login_keeps_the_token_and_sends_it_on_later_calls()
    {
        var handler = new RecordingHandler(
            Json(HttpStatusCode.OK, """{"accessToken":"tok","expiresAt":"2030-01-01T00:00:00Z","user":{"id":"u1","displayName":"C","role":"counselor"}}"""),
            Json(HttpStatusCode.Created, """{"code":"ABC123","expiresAt":"2030-01-01T00:10:00Z"}"""));
        var api = new HikiConsultApi(new HttpClient(handler) { BaseAddress = new Uri("http://server/") });

        var login = await api.LoginAsync("demo.counselor", "demo-password");
        var code = await api.CreatePairingCodeAsync("client 1", DeviceKinds.Robot);

        Assert.Equal("counselor", login.User.Role);
        Assert.Equal("ABC123", code.Code);
        Assert.Null(handler.Requests[0].Authorization);
        Assert.Contains("\"username\":\"demo.counselor\"", handler.Requests[0].Body);
        Assert.Equal("Bearer tok", handler.Requests[1].Authorization);
        Assert.Equal("/api/clients/client%201/pairing-codes", handler.Requests[1].Path);
        Assert.Contains("\"kind\":\"robot\"", handler.Requests[1].Body);
    }

    [Fact]
    public async Task Refusals_raise_a_typed_exception_with_the_problem_details()
    {
        var handler = new RecordingHandler(
            new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"title":"Invalid pairing code","status":400,"detail":"The code is used, expired or unknown."}""", Encoding.UTF8, "application/problem+json"),
            });
        var api = new HikiConsultApi(new HttpClient(handler) { BaseAddress = new Uri("http://server/") });

        var error = await Assert.ThrowsAsync<HikiConsultApiException>(() => api.PairDeviceAsync("XXXXXX", "robot"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Invalid pairing code", error.Problem?.Title);
        Assert.Contains("expired or unknown", error.Message);
        Assert.Null(api.AccessToken);
    }

    [Fact]
    public async Task A_refusal_without_a_body_still_carries_the_status_and_never_the_query()
    {
        var handler = new RecordingHandler(new HttpResponseMessage(HttpStatusCode.NotFound));
        var api = new HikiConsultApi(new HttpClient(handler) { BaseAddress = new Uri("http://server/") }, "tok");

        var error = await Assert.ThrowsAsync<HikiConsultApiException>(() => api.GetEventsAsync("s1", 5, 10));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Null(error.Problem);
        Assert.Equal("/api/sessions/s1/events", error.Path);
        Assert.Equal("/api/sessions/s1/events?afterSeq=5&limit=10", handler.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task All_events_follows_the_pages_until_an_empty_one()
    {
        var handler = new RecordingHandler(
            Json(HttpStatusCode.OK, Page(1, 2)),
            Json(HttpStatusCode.OK, Page(3)),
            Json(HttpStatusCode.OK, """{"events":[],"nextAfterSeq":3}"""));
        var api = new HikiConsultApi(new HttpClient(handler) { BaseAddress = new Uri("http://server/") }, "tok");

        var seqs = new List<long>();
        await foreach (var item in api.GetAllEventsAsync("s1"))
        {
            seqs.Add(item.Seq);
        }

        Assert.Equal([1L, 2L, 3L], seqs);
        Assert.Equal(
            ["/api/sessions/s1/events?afterSeq=0&limit=100", "/api/sessions/s1/events?afterSeq=2&limit=100", "/api/sessions/s1/events?afterSeq=3&limit=100"],
            handler.Requests.Select(r => r.PathAndQuery));
    }

    private static string Page(params long[] seqs) =>
        "{\"events\":[" + string.Join(",", seqs.Select(s =>
            $"{{\"sessionId\":\"s1\",\"seq\":{s},\"at\":\"2030-01-01T00:00:00Z\",\"sender\":{{\"id\":\"u1\",\"role\":\"counselor\",\"displayName\":\"C\"}},\"kind\":\"text\",\"body\":{{\"text\":\"m{s}\"}}}}"))
        + $"],\"nextAfterSeq\":{seqs.Max()}}}";

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed record RecordedRequest(string Path, string PathAndQuery, string? Authorization, string Body);

    private sealed class RecordingHandler(params HttpResponseMessage[] responses) : HttpMessageHandler
    {
        private readonly Queue<HttpResponseMessage> _responses = new(responses);

        public List<RecordedRequest> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add(new RecordedRequest(request.RequestUri!.AbsolutePath, request.RequestUri.PathAndQuery, request.Headers.Authorization?.ToString(), body));
            return _responses.Dequeue();
        }
    }
}
