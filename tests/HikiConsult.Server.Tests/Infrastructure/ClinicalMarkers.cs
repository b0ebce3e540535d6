using System.Text;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace HikiConsult.Server.Tests.Infrastructure;

/// <summary>
/// A client's clinical data, each piece carrying a marker string: a message (which raises a risk alert), the alert's
/// acknowledgement note, an assessment, an isolation record and the session's closing note (and, when asked, the
/// client's alias, which is kept as plain JSON); then a search of the database files' bytes for the marker.
/// </summary>
public static class ClinicalMarkers
{
    public static async Task<Scenario> WriteAllAsync(TestServerApp app, string marker, string? alias = null)
    {
        var s = await Scenario.CreateAsync(app, alias: alias);
        var (counselorHub, device) = await s.JoinBothAsync(app);
        await using (counselorHub)
        await using (device)
        {
            var ack = await device.SendTextAsync(s.Session.Id, $"I want to die {marker} message");
            var alert = await counselorHub.WaitForRiskAlertAsync(a => a.SessionId == s.Session.Id && a.Seq == ack.Seq);
            await counselorHub.AcknowledgeAsync(alert.Value.AlertId, $"{marker} acknowledgement");
            await app.ExpectAsync<object>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/assessments", s.Counselor.Token,
                new { instrument = "phq9", answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, completedBy = "counselor" });
            await app.ExpectAsync<object>(201, HttpMethod.Post, $"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token, new
            {
                estimatedMonthsOfContinuousIsolation = 7,
                daysOutOfHomePerWeek = 1,
                rarelyLeavesOneRoom = false,
                functionalImpairment = true,
                distress = true,
                coOccurringConditions = new[] { $"{marker} condition" },
            });
            await counselorHub.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, $"{marker} closing note");
        }

        return s;
    }

    /// <summary>Whether the marker's UTF-8 bytes are anywhere in the database file, its WAL or its SHM file.</summary>
    public static bool IsInDatabaseFiles(TestServerApp app, string marker) =>
        app.ReadDatabaseFiles().AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) >= 0;
}
