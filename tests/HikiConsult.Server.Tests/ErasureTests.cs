using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Server.Erasure;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>Erasure on request and by the retention policy (issue #22, point 6).</summary>
public sealed class ErasureTests : IAsyncLifetime
{
    // Fewer timer rounds while a test moves the clock by years.
    private static readonly Dictionary<string, string?> FewTimers = new() { ["Auth:CredentialRecheckInterval"] = "1.00:00:00" };

    private readonly TestServerApp _app = new(FewTimers);

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    [Trait("Storage", "Sqlite")] // greps the SQLite files
    public async Task A_supervisor_erases_a_client_and_nothing_of_it_is_left_in_the_database_files()
    {
        // The alias is kept as plain JSON in the client's state row, the message as ciphertext: both must go.
        const string Alias = "Erasure alias 9b41e7";
        var s = await ClinicalMarkers.WriteAllAsync(_app, "erasure-marker-9b41e7", alias: Alias);
        var kept = await Scenario.CreateAsync(_app, counselor: s.Counselor);
        await _app.ExpectAsync<object>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/pairing-codes", s.Counselor.Token, new CreatePairingCodeRequest(DeviceKinds.Robot));
        var ciphertext = (string)(await _app.QueryScalarAsync("SELECT body FROM session_events WHERE session_id = $s AND kind = 'text'", ("$s", s.Session.Id)))!;
        Assert.True(ClinicalMarkers.IsInDatabaseFiles(_app, Alias));
        Assert.True(ClinicalMarkers.IsInDatabaseFiles(_app, ciphertext));
        var supervisor = await _app.CreateStaffAsync(Roles.Supervisor);

        var receipt = await _app.ExpectAsync<ErasureReceipt>(200, HttpMethod.Post, $"/api/clients/{s.Client.Id}/erasure", supervisor.Token);

        Assert.Equal(s.Client.Id, receipt.ClientId);
        Assert.Equal(1, receipt.Sessions);
        foreach (var path in ClientPaths(s))
        {
            await _app.ExpectStatusAsync(404, HttpMethod.Get, path, supervisor.Token);
            await _app.ExpectStatusAsync(404, HttpMethod.Get, path, s.Counselor.Token);
        }

        await _app.ExpectStatusAsync(404, HttpMethod.Post, $"/api/clients/{s.Client.Id}/erasure", supervisor.Token);
        await _app.ExpectStatusAsync(401, HttpMethod.Get, "/api/devices/me/sessions", s.Device.AccessToken);
        var caseload = await _app.GetJsonAsync<List<ClientDto>>("/api/clients", s.Counselor.Token);
        Assert.Equal([kept.Client.Id], caseload.Select(c => c.Id));
        Assert.Empty((await _app.GetJsonAsync<JsonElement>("/api/alerts", supervisor.Token)).EnumerateArray());

        foreach (var table in new[] { "risk_alerts", "clinical_records", "devices", "pairing_codes", "client_directory" })
        {
            Assert.Equal(0, await _app.CountRowsAsync(table, s.Client.Id));
        }

        Assert.Equal(0, await _app.CountEventsAsync(s.Session.Id));
        Assert.Equal(0L, await _app.QueryScalarAsync(
            "SELECT COUNT(*) FROM grain_state WHERE grain_key IN ($c, $s)", ("$c", s.Client.Id), ("$s", s.Session.Id)));
        Assert.False(ClinicalMarkers.IsInDatabaseFiles(_app, Alias));
        Assert.False(ClinicalMarkers.IsInDatabaseFiles(_app, ciphertext));

        // The other client of the same counselor is untouched.
        await _app.ExpectStatusAsync(200, HttpMethod.Get, $"/api/clients/{kept.Client.Id}", s.Counselor.Token);
        await _app.ExpectStatusAsync(200, HttpMethod.Get, "/api/devices/me/sessions", kept.Device.AccessToken);

        // The tombstone: who, which client, when; no content.
        var admin = await _app.CreateStaffAsync(Roles.Admin);
        var audit = await _app.GetJsonAsync<JsonElement>($"/api/audit?targetId={s.Client.Id}", admin.Token);
        var tombstone = Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "client.erased");
        Assert.Equal(supervisor.Id, tombstone.GetProperty("actorId").GetString());
        Assert.Equal("client", tombstone.GetProperty("targetType").GetString());
        Assert.DoesNotContain(Alias, audit.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_an_erasure_the_session_log_and_the_audit_log_refuse_deletes()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await device.SendTextAsync(s.Session.Id, "kept");
        await counselor.DisposeAsync();
        await device.DisposeAsync();

        var log = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _app.ExecuteAsync("DELETE FROM session_events WHERE session_id = @s", ("@s", s.Session.Id)));
        Assert.Contains("append-only", log.Message, StringComparison.Ordinal);
        var audit = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _app.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Contains("append-only", audit.Message, StringComparison.Ordinal);
        Assert.True(await _app.CountEventsAsync(s.Session.Id) > 0);
    }

    [Fact]
    public async Task The_retention_policy_erases_clients_closed_for_longer_than_its_years_and_keeps_the_others()
    {
        await using var app = new TestServerApp(new(FewTimers)
        {
            ["Retention:ErasureAfterClosedYears"] = "2",
            ["Retention:CheckInterval"] = "1.00:00:00",
        });
        app.Start();
        var closed = await Scenario.CreateAsync(app);
        var (counselor, device) = await closed.JoinBothAsync(app);
        await device.SendTextAsync(closed.Session.Id, "a message from long ago");
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, closed.Session.Id, "closing note");
        await counselor.DisposeAsync();
        await device.DisposeAsync();
        var open = await Scenario.CreateAsync(app, counselor: closed.Counselor);
        var retention = app.Services.GetRequiredService<RetentionService>();

        // A year on, nothing is old enough.
        var first = retention.NextSweep;
        app.Clock.Advance(TimeSpan.FromDays(366));
        Assert.Empty(await first.WaitAsync(HubClient.Timeout));

        // Past two years since the close: the closed client goes at the next sweep; the one with an open session stays.
        // Each sweep is awaited through the task taken before the clock moves, so no sweep's result goes unseen.
        var second = retention.NextSweep;
        app.Clock.Advance(TimeSpan.FromDays(366));
        var erased = await second.WaitAsync(HubClient.Timeout);
        for (var day = 0; erased.Count == 0 && day < 10; day++)
        {
            var next = retention.NextSweep;
            app.Clock.Advance(TimeSpan.FromDays(1));
            erased = await next.WaitAsync(HubClient.Timeout);
        }

        Assert.Equal([closed.Client.Id], erased);
        var supervisor = await app.CreateStaffAsync(Roles.Supervisor);
        await app.ExpectStatusAsync(404, HttpMethod.Get, $"/api/clients/{closed.Client.Id}", supervisor.Token);
        await app.ExpectStatusAsync(200, HttpMethod.Get, $"/api/clients/{open.Client.Id}", supervisor.Token);
        Assert.Equal(0, await app.CountEventsAsync(closed.Session.Id));
        var admin = await app.CreateStaffAsync(Roles.Admin);
        var audit = await app.GetJsonAsync<JsonElement>($"/api/audit?targetId={closed.Client.Id}", admin.Token);
        var tombstone = Assert.Single(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "client.erased");
        Assert.Equal(RetentionService.ActorId, tombstone.GetProperty("actorId").GetString());
    }

    [Fact]
    public async Task Without_a_retention_setting_nothing_is_erased_by_age()
    {
        var s = await Scenario.CreateAsync(_app);
        await _app.ExpectStatusAsync(200, HttpMethod.Post, $"/api/sessions/{s.Session.Id}/cancel", s.Counselor.Token);
        _app.Clock.Advance(TimeSpan.FromDays(3 * 366));

        var supervisor = await _app.CreateStaffAsync(Roles.Supervisor);
        await _app.ExpectStatusAsync(200, HttpMethod.Get, $"/api/clients/{s.Client.Id}", supervisor.Token);
        Assert.False(_app.Services.GetRequiredService<RetentionService>().NextSweep.IsCompleted);
    }

    private static IEnumerable<string> ClientPaths(Scenario s) =>
    [
        $"/api/clients/{s.Client.Id}",
        $"/api/clients/{s.Client.Id}/sessions",
        $"/api/clients/{s.Client.Id}/alerts",
        $"/api/clients/{s.Client.Id}/assessments",
        $"/api/clients/{s.Client.Id}/isolation-records",
        $"/api/clients/{s.Client.Id}/biomarkers",
        $"/api/clients/{s.Client.Id}/timeline",
        $"/api/sessions/{s.Session.Id}",
        $"/api/sessions/{s.Session.Id}/events",
        $"/api/sessions/{s.Session.Id}/transcript",
    ];
}
