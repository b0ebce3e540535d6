using HikiConsult.Contracts;
using HikiConsult.Server.Tests.Infrastructure;

namespace HikiConsult.Server.Tests;

/// <summary>A hub call with arguments of the wrong count or type says which argument, and the connection goes on.</summary>
public sealed class HubArgumentErrorTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServerApp App => shared.App;

    [Theory]
    [InlineData("JoinSession", """["{session}"]""", "JoinSession(sessionId, afterSeq) takes 2 arguments; 1 were sent.")]
    [InlineData("JoinSession", """["{session}","abc"]""", "'afterSeq' of JoinSession(sessionId, afterSeq) must be a whole number.")]
    [InlineData("JoinSession", """[123,0]""", "'sessionId' of JoinSession(sessionId, afterSeq) must be a string.")]
    [InlineData("Send", """["{session}","hello"]""", "'message' of Send(sessionId, message) must be a JSON object with the documented fields.")]
    [InlineData("EndSession", """["{session}","half \ud800"]""", "'note' of EndSession(sessionId, note) contains an unpaired surrogate (invalid UTF-16).")]
    [InlineData("AcknowledgeAlert", """["al_x"]""", "AcknowledgeAlert(alertId, note) takes 2 arguments; 1 were sent.")]
    public async Task A_wrongly_typed_call_names_its_argument(string method, string arguments, string expected)
    {
        var s = await Scenario.CreateAsync(App);
        await using var raw = await RawHubClient.ConnectAsync(App, HubPaths.Counselor, s.Counselor.Token);
        var completion = await raw.InvokeRawAsync(method, arguments.Replace("{session}", s.Session.Id, StringComparison.Ordinal));
        Assert.NotNull(completion.Error);
        Assert.Contains($"HubException: {expected}", completion.Error);
        Assert.DoesNotContain("Try again", completion.Error, StringComparison.OrdinalIgnoreCase);

        // The connection is still usable, and the refused call stored nothing.
        var join = await raw.InvokeRawAsync(HubMethods.JoinSession, $"[\"{s.Session.Id}\",0]");
        Assert.Null(join.Error);
        Assert.Equal(3, await App.CountEventsAsync(s.Session.Id));
    }
}
