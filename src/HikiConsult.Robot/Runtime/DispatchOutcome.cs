namespace HikiConsult.Robot.Runtime;

/// <summary>What the dispatcher did with one session event, for the log and for tests.</summary>
public sealed record DispatchOutcome(bool Performed, string Description)
{
    public static DispatchOutcome Done(string description) => new(true, description);

    public static DispatchOutcome Ignored(string reason) => new(false, reason);
}
