namespace HikiConsult.Robot.Runtime;

/// <summary>One thing the person did near the robot (or typed on its console), to be sent to the session.</summary>
public abstract record RobotInput
{
    /// <summary>A signal event: presence, reaction, touch or emotion.</summary>
    public sealed record Signal(string Name, string Value) : RobotInput;

    /// <summary>A text message from the client.</summary>
    public sealed record Text(string Message) : RobotInput;

    public sealed record Quit : RobotInput;

    public sealed record Help : RobotInput;
}
