using HikiConsult.Contracts;
using HikiConsult.Robot.Runtime;

namespace HikiConsult.Client.Tests.Robot;

public sealed class RobotSessionChoiceTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static SessionDto Session(string id, string state, int hour) =>
        new(id, "c1", state, T0.AddHours(hour), T0, null, false, [], 0);

    [Fact]
    public void A_running_session_wins_then_a_waiting_one_then_the_next_scheduled()
    {
        Assert.Equal("active", RobotRunner.Choose([Session("scheduled", SessionStates.Scheduled, 1), Session("waiting", SessionStates.Waiting, 2), Session("active", SessionStates.Active, 3)])?.Id);
        Assert.Equal("waiting", RobotRunner.Choose([Session("scheduled", SessionStates.Scheduled, 1), Session("waiting", SessionStates.Waiting, 2)])?.Id);
        Assert.Equal("early", RobotRunner.Choose([Session("late", SessionStates.Scheduled, 5), Session("early", SessionStates.Scheduled, 1)])?.Id);
    }

    [Fact]
    public void Closed_sessions_are_never_chosen()
    {
        Assert.Null(RobotRunner.Choose([Session("e", SessionStates.Ended, 1), Session("c", SessionStates.Cancelled, 2), Session("n", SessionStates.NoShow, 3)]));
    }
}
