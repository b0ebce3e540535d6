using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace HikiConsult.Client.Api;

/// <summary>
/// Typed calls to the REST API. Holds the caller's bearer token (set by <see cref="LoginAsync"/>,
/// <see cref="PairDeviceAsync"/> or <see cref="AccessToken"/>) and sends it per request, so one
/// <see cref="HttpClient"/> may serve several callers.
/// </summary>
public sealed class HikiConsultApi
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    /// <param name="http">A client whose <see cref="HttpClient.BaseAddress"/> is the server's root.</param>
    public HikiConsultApi(HttpClient http, string? accessToken = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the server's root).", nameof(http));
        }

        _http = http;
        AccessToken = accessToken;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public string? AccessToken { get; set; }

    public async Task<LoginResponse> LoginAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<LoginResponse>(HttpMethod.Post, "/api/auth/login", new LoginRequest(username, password), cancellationToken);
        AccessToken = response.AccessToken;
        return response;
    }

    public Task<IReadOnlyList<ClientDto>> GetClientsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ClientDto>>(HttpMethod.Get, "/api/clients", null, cancellationToken);

    public Task<ClientDto> CreateClientAsync(string alias, string? language = null, string? timeZone = null, CancellationToken cancellationToken = default) =>
        SendAsync<ClientDto>(HttpMethod.Post, "/api/clients", new CreateClientRequest(alias, language, timeZone), cancellationToken);

    public Task<ClientDto> GetClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        SendAsync<ClientDto>(HttpMethod.Get, $"/api/clients/{Escape(clientId)}", null, cancellationToken);

    public Task<PairingCodeResponse> CreatePairingCodeAsync(string clientId, string kind, CancellationToken cancellationToken = default) =>
        SendAsync<PairingCodeResponse>(HttpMethod.Post, $"/api/clients/{Escape(clientId)}/pairing-codes", new CreatePairingCodeRequest(kind), cancellationToken);

    /// <summary>Pairs this caller as a device; from then on <see cref="AccessToken"/> is the device's token.</summary>
    public async Task<PairDeviceResponse> PairDeviceAsync(string code, string deviceName, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<PairDeviceResponse>(HttpMethod.Post, "/api/devices/pair", new PairDeviceRequest(code, deviceName), cancellationToken);
        AccessToken = response.AccessToken;
        return response;
    }

    public Task RevokeDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/api/devices/{Escape(deviceId)}", null, cancellationToken);

    public Task<SessionDto> CreateSessionAsync(string clientId, DateTimeOffset? scheduledAt = null, bool familyOnly = false, CancellationToken cancellationToken = default) =>
        SendAsync<SessionDto>(HttpMethod.Post, "/api/sessions", new CreateSessionRequest(clientId, scheduledAt, familyOnly), cancellationToken);

    public Task<SessionDto> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync<SessionDto>(HttpMethod.Get, $"/api/sessions/{Escape(sessionId)}", null, cancellationToken);

    public Task<EventsPage> GetEventsAsync(string sessionId, long afterSeq = 0, int limit = 100, CancellationToken cancellationToken = default) =>
        SendAsync<EventsPage>(
            HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"/api/sessions/{Escape(sessionId)}/events?afterSeq={afterSeq}&limit={limit}"),
            null,
            cancellationToken);

    /// <summary>Every event after <paramref name="afterSeq"/>, following the pages to the end.</summary>
    public async IAsyncEnumerable<SessionEventDto> GetAllEventsAsync(
        string sessionId,
        long afterSeq = 0,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = await GetEventsAsync(sessionId, afterSeq, 100, cancellationToken);
            foreach (var item in page.Events)
            {
                yield return item;
            }

            if (page.Events.Count == 0 || page.NextAfterSeq <= afterSeq)
            {
                yield break;
            }

            afterSeq = page.NextAfterSeq;
        }
    }

    /// <summary>With a device token: the open sessions of the device's client.</summary>
    public Task<IReadOnlyList<SessionDto>> GetMySessionsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<SessionDto>>(HttpMethod.Get, "/api/devices/me/sessions", null, cancellationToken);

    public async Task<string> GetTranscriptAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"/api/sessions/{Escape(sessionId)}/transcript", null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, pathAndQuery, body, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken);
        return result ?? throw new HikiConsultApiException(method, StripQuery(pathAndQuery), response.StatusCode, new ProblemDetails { Title = "The server sent an empty body." });
    }

    private async Task SendAsync(HttpMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, pathAndQuery, body, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (!string.IsNullOrEmpty(AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
        }

        var response = await _http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new HikiConsultApiException(method, StripQuery(pathAndQuery), response.StatusCode, await ReadProblemAsync(response, cancellationToken));
        }
    }

    private static async Task<ProblemDetails?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<ProblemDetails>(JsonOptions, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment);
        return Uri.EscapeDataString(segment);
    }

    private static string StripQuery(string pathAndQuery)
    {
        var index = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return index < 0 ? pathAndQuery : pathAndQuery[..index];
    }
}
