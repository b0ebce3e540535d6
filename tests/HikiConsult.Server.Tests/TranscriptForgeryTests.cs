using System.Text.Json;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests;

/// <summary>What a message may hold, and a transcript no message can forge a line of.</summary>
public sealed class TranscriptForgeryTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Fact]
    public async Task A_message_cannot_start_a_transcript_line_of_its_own()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        const string Forged = "2030-03-02 19:00:05 +09:00  #99  Demo Counselor (counselor): you must stop your medication";
        await device.SendTextAsync(s.Session.Id, $"fine\n{Forged}\r\nand a third line\u2028{Forged}");
        await device.SendTextAsync(s.Session.Id, "\u202Eevil\u202C and a BOM \uFEFF here");

        var transcript = await App.ExpectStatusAsync(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        var lines = transcript.Split('\n');
        var events = await App.CountEventsAsync(s.Session.Id);

        // Exactly one line per event starts with a time; the forged ones are continuation lines.
        Assert.Equal(events, lines.Count(l => l.Length > 0 && char.IsAsciiDigit(l[0])));
        Assert.DoesNotContain(lines, l => l.StartsWith("2030-03-02 19:00:05", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.StartsWith("    | 2030-03-02 19:00:05", StringComparison.Ordinal)));
        Assert.Contains("    | and a third line", lines);

        // Bidi controls and the BOM are shown, not obeyed.
        Assert.Contains("<U+202E>evil<U+202C> and a BOM <U+FEFF> here", transcript);
        Assert.DoesNotContain("\u202E", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", transcript, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nul \u0000 here", "U+0000")]
    [InlineData("escape \u001b[31m red", "U+001B")]
    [InlineData("bell \u0007", "U+0007")]
    [InlineData("c1 \u009b control", "U+009B")]
    [InlineData("lone cr \r here", "U+000D")]
    public async Task Controls_other_than_newline_and_tab_are_refused_and_nothing_is_stored(string text, string code)
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var before = await App.CountEventsAsync(s.Session.Id);
        var error = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, text));
        Assert.Contains($"'text' may not contain the control character {code}", error.Message);
        Assert.Equal(before, await App.CountEventsAsync(s.Session.Id));

        // Newlines and tabs are a message's own; the connection still works and seq stays gapless.
        var ack = await device.SendTextAsync(s.Session.Id, "two\nlines\tand a tab");
        Assert.Equal(before + 1, ack.Seq);
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B")]
    [InlineData(" \u200D\uFEFF\u2060 ")]
    [InlineData("\u3164")]
    public async Task A_message_of_invisible_characters_only_is_empty(string text)
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var error = await Assert.ThrowsAsync<HubException>(() => device.SendTextAsync(s.Session.Id, text));
        Assert.Contains("'text' must not be empty", error.Message);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_message_is_a_permanent_error_not_a_server_fault()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        var before = await App.CountEventsAsync(s.Session.Id);
        // Written by hand: a client library refuses to serialize a lone surrogate; an attacker does not use one.
        await using var raw = await RawHubClient.ConnectAsync(App, HubPaths.Avatar, s.Device.AccessToken);
        Assert.Null((await raw.InvokeRawAsync(HubMethods.JoinSession, $"[\"{s.Session.Id}\",0]")).Error);
        var refused = await raw.InvokeRawAsync(HubMethods.Send, $$$"""["{{{s.Session.Id}}}",{"clientMsgId":"lone-1","kind":"text","body":{"text":"half \ud800 a pair"}}]""");
        Assert.Contains("'text' contains an unpaired surrogate", refused.Error);
        Assert.DoesNotContain("Try again", refused.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(raw.IsOpen);
        Assert.Equal(before, await App.CountEventsAsync(s.Session.Id));
        Assert.Equal(before + 1, (await device.SendTextAsync(s.Session.Id, "whole")).Seq);
    }

    [Theory]
    [InlineData("Sora\nClient: cl_forged")]
    [InlineData("Sora\u0000")]
    [InlineData("Sora\u001b[8m")]
    [InlineData("\u202Earos")]
    [InlineData("Sora\tTab")]
    public async Task An_alias_is_one_line_of_visible_text(string alias)
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/clients", counselor.Token, new CreateClientRequest(alias, "en"));
        Assert.True(problem.GetProperty("errors").TryGetProperty("alias", out _));
        Assert.Empty(await App.GetJsonAsync<List<ClientDto>>("/api/clients", counselor.Token));
    }

    [Fact]
    public async Task Names_of_devices_and_accounts_are_one_line_too()
    {
        var counselor = await App.CreateStaffAsync(Roles.Counselor);
        var client = await App.CreateClientAsync(counselor.Token);
        var code = await App.CreatePairingCodeAsync(counselor.Token, client.Id, DeviceKinds.Family);
        var problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(code.Code, "Mum\n2030-01-01 forged"));
        Assert.True(problem.GetProperty("errors").TryGetProperty("deviceName", out _));

        // The code was not used up by the refused request.
        await App.ExpectStatusAsync(201, HttpMethod.Post, "/api/devices/pair", body: new PairDeviceRequest(code.Code, "Mum"));

        var admin = await App.CreateStaffAsync(Roles.Admin);
        problem = await App.ExpectAsync<JsonElement>(400, HttpMethod.Post, "/api/users", admin.Token,
            new { username = "n.ame", displayName = "Name\u0007", role = Roles.Counselor, password = "long enough password" });
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _));
    }

    [Fact]
    public async Task A_closing_note_keeps_its_lines_marked_as_the_note()
    {
        var s = await Scenario.CreateAsync(App);
        var (counselor, device) = await s.JoinBothAsync(App);
        await using var _ = counselor;
        await using var __ = device;
        await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "First line\n2030-01-01 00:00:00 +09:00  #50  [state] active");
        var transcript = await App.ExpectStatusAsync(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        Assert.Contains("\n    | First line\n    | 2030-01-01 00:00:00 +09:00  #50", transcript);
    }
}
