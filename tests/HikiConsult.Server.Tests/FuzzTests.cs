using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HikiConsult.Server.Tests;

/// <summary>
/// Seeded, bounded fuzzing of every REST endpoint in the OpenAPI document and every hub method: random JSON shapes,
/// sizes, Unicode classes, controls and lone surrogates. Whatever comes: no 5xx, every refusal a ProblemDetails or a
/// HubException (never the unhandled-error text, never "Try again"), nothing kept from a refused request, the session
/// log stays gapless and the server keeps serving.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261207;
    private const int CasesPerOperation = 14;
    private const int HubCases = 400;

    private static readonly string[] Tables = ["client_directory", "clinical_records", "pairing_codes", "devices", "users", "session_events"];
    private readonly TestServerApp _app = new();

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Random_requests_to_every_endpoint_are_answered_without_a_server_error()
    {
        var random = new Random(Seed);
        var supervisor = await _app.CreateStaffAsync(Roles.Supervisor);
        var admin = await _app.CreateStaffAsync(Roles.Admin);
        var s = await Scenario.CreateAsync(_app);
        var openApi = await _app.GetJsonAsync<JsonElement>("/openapi/v1.json", token: null);
        var failures = new List<string>();
        var sent = 0;
        var refused = 0;
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var hasBody = operation.Value.TryGetProperty("requestBody", out _);
                var tags = operation.Value.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()).ToList() : [];
                for (var i = 0; i < CasesPerOperation; i++)
                {
                    // Never the device revocation, account disabling or erasure with a real id: they would end the run's own credentials.
                    var url = FillPath(path.Name, random, s, destructive: method == HttpMethod.Delete || path.Name.EndsWith("/erasure", StringComparison.Ordinal)) + RandomQuery(random);
                    var token = path.Name == "/api/auth/logout" ? (await _app.CreateStaffAsync(Roles.Counselor)).Token : random.Next(6) switch
                    {
                        0 => null,
                        1 => s.Device.AccessToken,
                        2 => s.Counselor.Token,
                        _ => tags.Contains("Admin") ? admin.Token : supervisor.Token,
                    };
                    var body = hasBody || random.Next(4) == 0 ? RandomBody(random) : null;
                    var before = await CountRowsAsync();
                    using var request = new HttpRequestMessage(method, url);
                    if (token is not null)
                    {
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                    }

                    if (body is not null)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    using var response = await _app.Http.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    var what = $"{method} {url} [{Clip(body)}] → {status} {Clip(text)}";
                    if (status >= 500)
                    {
                        failures.Add("server error: " + what);
                    }
                    else if (status >= 400)
                    {
                        refused++;
                        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            failures.Add("refusal without ProblemDetails: " + what);
                        }

                        if (await CountRowsAsync() != before)
                        {
                            failures.Add("refused but kept: " + what);
                        }
                    }
                }
            }
        }

        output.WriteLine($"REST fuzz: {sent} requests, {refused} refused, {failures.Count} failures (seed {Seed}).");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(sent >= 300, $"Only {sent} requests sent.");

        // Still serving, and the scenario's own credentials still work.
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/health/live");
        await _app.ExpectStatusAsync(200, HttpMethod.Get, $"/api/clients/{s.Client.Id}", s.Counselor.Token);
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        await AssertGaplessAsync(s.Session.Id);
    }

    [Fact]
    public async Task Random_hub_calls_are_answered_with_results_or_hub_exceptions_and_the_log_stays_gapless()
    {
        var random = new Random(Seed + 1);
        var s = await Scenario.CreateAsync(_app);
        await using var counselor = await RawHubClient.ConnectAsync(_app, HubPaths.Counselor, s.Counselor.Token);
        await using var device = await RawHubClient.ConnectAsync(_app, HubPaths.Avatar, s.Device.AccessToken);
        Assert.Null((await counselor.InvokeRawAsync(HubMethods.JoinSession, $"[\"{s.Session.Id}\",0]")).Error);
        Assert.Null((await device.InvokeRawAsync(HubMethods.JoinSession, $"[\"{s.Session.Id}\",0]")).Error);
        string[] methods = [HubMethods.JoinSession, HubMethods.Send, HubMethods.Send, HubMethods.Send, HubMethods.LeaveSession, HubMethods.EndSession,
            EarlyConsultationHubMethods.AcknowledgeAlert, "NoSuchMethod"];
        var failures = new List<string>();
        var acks = 0;
        var refused = 0;
        for (var i = 0; i < HubCases; i++)
        {
            var toDevice = random.Next(2) == 0;
            var client = toDevice ? device : counselor;
            var method = methods[random.Next(methods.Length)];

            // The session is ended only at the end: the run is about what a live session accepts.
            if (method == HubMethods.EndSession && random.Next(2) == 0)
            {
                method = HubMethods.Send;
            }

            // Within the hub's message bound (64 KB): a bigger message closes the connection by design.
            string arguments;
            do
            {
                arguments = RandomArguments(random, method, s.Session.Id);
            }
            while (arguments.Length > 60_000);

            var completion = await client.InvokeRawAsync(method, arguments);
            var what = $"{(toDevice ? "device" : "counselor")} {method}{Clip(arguments)} → {Clip(completion.Error ?? completion.Result?.GetRawText())}";
            if (completion.Error is null)
            {
                acks += method == HubMethods.Send ? 1 : 0;
            }
            else
            {
                refused++;
                // A HubException carries its reason ("… HubException: 'text' must not be empty."); an unhandled error has none.
                if (!completion.Error.Contains("HubException: ", StringComparison.Ordinal)
                    || completion.Error.Contains("Try again", StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add(what);
                }
            }

            if (!client.IsOpen)
            {
                failures.Add("connection closed after: " + what);
                break;
            }

            // A leave on either connection: join again so sends keep reaching the session.
            if (method == HubMethods.LeaveSession)
            {
                await client.InvokeRawAsync(HubMethods.JoinSession, $"[\"{s.Session.Id}\",0]");
            }
        }

        output.WriteLine($"Hub fuzz: {HubCases} calls, {refused} refused, {acks} sends stored, {failures.Count} failures (seed {Seed + 1}).");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        await AssertGaplessAsync(s.Session.Id);
        Assert.True(acks > 10, $"Only {acks} sends were accepted: the generator should also make valid messages.");
    }

    private async Task AssertGaplessAsync(string sessionId)
    {
        var count = (long)(await _app.QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE session_id = @s", ("@s", sessionId)))!;
        var max = (long)(await _app.QueryScalarAsync("SELECT MAX(seq) FROM session_events WHERE session_id = @s", ("@s", sessionId)))!;
        Assert.Equal(count, max);
    }

    private async Task<long> CountRowsAsync()
    {
        long total = 0;
        foreach (var table in Tables)
        {
            total += await _app.TableExistsAsync(table) ? (long)(await _app.QueryScalarAsync($"SELECT COUNT(*) FROM {table}"))! : 0;
        }

        return total;
    }

    private static string FillPath(string template, Random random, Scenario s, bool destructive)
    {
        var id = random.Next(5) switch
        {
            0 when !destructive => template.StartsWith("/api/sessions", StringComparison.Ordinal) ? s.Session.Id : s.Client.Id,
            1 => "cl_" + Guid.NewGuid().ToString("N"),
            // Without NUL and other controls in the path: the HTTP server refuses those before any endpoint.
            2 => Uri.EscapeDataString(new string([.. RandomString(random, random.Next(1, 80)).Where(c => c >= 0x20 && !char.IsSurrogate(c))]) + "z"),
            3 => "se_" + Guid.NewGuid().ToString("N"),
            _ => Uri.EscapeDataString(new string('x', random.Next(1, 3000))),
        };
        return template.Replace("{id}", id, StringComparison.Ordinal).Replace("{instrument}", random.Next(2) == 0 ? "phq9" : id, StringComparison.Ordinal);
    }

    private static string RandomQuery(Random random)
    {
        if (random.Next(3) == 0)
        {
            return "";
        }

        string[] names = ["afterSeq", "limit", "status", "targetId", "x"];
        var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
            $"{names[random.Next(names.Length)]}={Uri.EscapeDataString(random.Next(3) == 0 ? random.Next(-5, 2000).ToString(CultureInfo.InvariantCulture) : RandomString(random, random.Next(0, 200)))}");
        return "?" + string.Join("&", parts);
    }

    /// <summary>JSON text, possibly broken: objects with known and unknown fields, wrong types, huge or deep values.</summary>
    private static string RandomBody(Random random) => random.Next(12) switch
    {
        0 => "",
        1 => "{\"alias\":",
        2 => new string('[', 64) + new string(']', 64),
        3 => RandomValue(random, 0),
        4 => $"{{\"text\":\"{new string('a', random.Next(60_000, 90_000))}\"}}",
        _ => RandomObject(random, 0),
    };

    private static readonly string[] Fields =
    [
        "alias", "language", "timeZone", "kind", "code", "deviceName", "userId", "scope", "clientId", "scheduledAt", "familyOnly",
        "username", "password", "displayName", "role", "refreshToken", "instrument", "answers", "completedBy",
        "estimatedMonthsOfContinuousIsolation", "daysOutOfHomePerWeek", "rarelyLeavesOneRoom", "functionalImpairment", "distress",
        "coOccurringConditions", "analyte", "value", "unit", "sex", "assay", "date", "unknown",
    ];

    private static string RandomObject(Random random, int depth)
    {
        var members = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => $"{Quote(Fields[random.Next(Fields.Length)])}:{RandomValue(random, depth + 1)}")
            .Distinct();
        return "{" + string.Join(",", members) + "}";
    }

    private static string RandomValue(Random random, int depth) => random.Next(depth > 3 ? 6 : 9) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        3 => (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
        4 or 5 => Quote(RandomString(random, random.Next(0, random.Next(2) == 0 ? 40 : 2000))),
        6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, random.Next(2) == 0 ? 5 : 150)).Select(_ => RandomValue(random, depth + 1))) + "]",
        7 => RandomObject(random, depth),
        _ => "\"half \\ud800 pair\"",
    };

    /// <summary>Text from one Unicode class or a mix: ASCII, CJK, emoji, controls, bidi, zero-width, lone surrogates.</summary>
    private static string RandomString(Random random, int length)
    {
        var text = new StringBuilder(length);
        var kind = random.Next(8);
        for (var i = 0; i < length; i++)
        {
            var k = kind == 7 ? random.Next(7) : kind;
            text.Append(k switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0x3040, 0x9fff),
                2 => "\U0001F600",
                3 => (char)random.Next(0, 0x20),
                4 => "\u202E\u2066\u200F\u061C"[random.Next(4)],
                5 => "\u200B\uFEFF\u2060\u3164"[random.Next(4)],
                _ => random.Next(2) == 0 ? '\uD800' : '\uDC00',
            });
        }

        return text.ToString();
    }

    /// <summary>A JSON string literal that keeps lone surrogates and controls as escapes, as a hostile client writes them.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < 0x20 || char.IsSurrogate(c) || c > 0x7e)
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }

    private static string RandomArguments(Random random, string method, string sessionId)
    {
        var session = Quote(sessionId);
        if (random.Next(4) == 0)
        {
            return "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, 1))) + "]";
        }

        return method switch
        {
            HubMethods.JoinSession => $"[{(random.Next(3) == 0 ? RandomValue(random, 1) : session)},{(random.Next(3) == 0 ? RandomValue(random, 1) : random.Next(-3, 50).ToString(CultureInfo.InvariantCulture))}]",
            HubMethods.Send => $"[{(random.Next(6) == 0 ? RandomValue(random, 1) : session)},{RandomMessage(random)}]",
            HubMethods.EndSession => $"[{session},{(random.Next(2) == 0 ? Quote(RandomString(random, random.Next(0, 5000))) : RandomValue(random, 1))}]",
            EarlyConsultationHubMethods.AcknowledgeAlert => $"[{Quote("al_" + RandomString(random, random.Next(0, 40)))},{RandomValue(random, 1)}]",
            _ => $"[{session}]",
        };
    }

    private static string RandomMessage(Random random)
    {
        string[] kinds = ["text", "text", "text", "speak", "signal", "expression", "gesture", "gaze", "assessment", "system", "dance"];
        if (random.Next(3) == 0)
        {
            return $"{{\"clientMsgId\":\"ok-{random.Next()}\",\"kind\":\"text\",\"body\":{{\"text\":\"plain words {random.Next()}\"}}}}";
        }

        var kind = kinds[random.Next(kinds.Length)];
        var body = random.Next(3) switch
        {
            0 => $"{{\"text\":{Quote(RandomString(random, random.Next(0, 5000)))}}}",
            1 => $"{{\"text\":{Quote("plain words " + random.Next())}}}",
            _ => kind switch
            {
                "signal" => $"{{\"name\":\"touch\",\"value\":{RandomValue(random, 2)}}}",
                "expression" => $"{{\"name\":\"happy\",\"weight\":{RandomValue(random, 2)}}}",
                _ => RandomObject(random, 1),
            },
        };
        var id = random.Next(5) == 0 ? RandomValue(random, 2) : Quote("fz-" + random.Next());
        return $"{{\"clientMsgId\":{id},\"kind\":{Quote(kind)},\"body\":{body}}}";
    }

    private static string Clip(string? text) => text is null ? "" : text.Length <= 160 ? text : text[..160] + "…";
}
