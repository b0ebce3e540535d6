namespace HikiConsult.Robot.Runtime;

/// <summary>
/// Console stand-in for a robot's sensors: one line per input. "t [where]" touch (default head),
/// "p here|away" presence, "r reaction" a one-tap reaction, "e estimate" an emotion estimate, "say words" or any
/// other words a text message, "q" quit, "?" help.
/// </summary>
public static class KeyboardInputParser
{
    public const string Usage = "t [head|hand|back] touch · p here|away presence · r <reaction> · e <emotion> · say <text> (or just type) · q quit";

    public static RobotInput? Parse(string? line)
    {
        var trimmed = line?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var command = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : trimmed[(space + 1)..].Trim();

        return command switch
        {
            "q" or "quit" when argument.Length == 0 => new RobotInput.Quit(),
            "?" or "help" when argument.Length == 0 => new RobotInput.Help(),
            "t" or "touch" => new RobotInput.Signal("touch", argument.Length == 0 ? "head" : argument),
            "p" or "presence" when argument is "here" or "away" => new RobotInput.Signal("presence", argument),
            "p" or "presence" => new RobotInput.Help(),
            "r" or "reaction" when argument.Length > 0 => new RobotInput.Signal("reaction", argument),
            "e" or "emotion" when argument.Length > 0 => new RobotInput.Signal("emotion", argument),
            "r" or "reaction" or "e" or "emotion" => new RobotInput.Help(),
            "say" when argument.Length > 0 => new RobotInput.Text(argument),
            _ => new RobotInput.Text(trimmed),
        };
    }
}
