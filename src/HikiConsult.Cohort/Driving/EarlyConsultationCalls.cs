using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HikiConsult.Client.Api;
using HikiConsult.Contracts;

namespace HikiConsult.Cohort.Driving;

/// <summary>
/// REST calls the harness needs beyond <see cref="HikiConsultApi"/> (assessments, isolation records, alerts, triage,
/// timeline, consents, session cancel, staff accounts), made with the same caller's token. Bodies the client library
/// has no type for are read as JSON elements: the harness checks only the fields it needs.
/// </summary>
public sealed class EarlyConsultationCalls(HttpClient http, HikiConsultApi api)
{
    public Task<JsonElement> SubmitAssessmentAsync(string clientId, string instrument, IReadOnlyList<int?> answers, string completedBy, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/clients/{Uri.EscapeDataString(clientId)}/assessments", new { instrument, answers, completedBy }, cancellationToken);

    public Task<JsonElement> RecordIsolationAsync(string clientId, object record, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/clients/{Uri.EscapeDataString(clientId)}/isolation-records", record, cancellationToken);

    public Task<JsonElement> TimelineAsync(string clientId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"/api/clients/{Uri.EscapeDataString(clientId)}/timeline", null, cancellationToken);

    public Task<JsonElement> RecordConsentAsync(string clientId, string scope, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/clients/{Uri.EscapeDataString(clientId)}/consents", new { scope }, cancellationToken);

    public Task<JsonElement> CancelSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/api/sessions/{Uri.EscapeDataString(sessionId)}/cancel", null, cancellationToken);

    public Task<JsonElement> CreateStaffAsync(string username, string displayName, string role, string password, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/users", new { username, displayName, role, password }, cancellationToken);

    public async Task<IReadOnlyList<RiskAlertDto>> OpenAlertsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "/api/alerts", null, cancellationToken)).Deserialize<List<RiskAlertDto>>(HikiConsultApi.JsonOptions)!;

    public async Task<TriageQueueDto> TriageAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "/api/triage", null, cancellationToken)).Deserialize<TriageQueueDto>(HikiConsultApi.JsonOptions)!;

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AccessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HikiConsultApi.JsonOptions);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} failed with {(int)response.StatusCode}: {Shorten(text)}", null, response.StatusCode);
        }

        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
