namespace HikiConsult.Robot.Runtime;

public sealed record RobotOptions
{
    /// <summary>The server's root, e.g. http://localhost:5080/.</summary>
    public required Uri Server { get; init; }

    /// <summary>A pairing code from the counselor; needed only when no device token is stored yet.</summary>
    public string? PairingCode { get; init; }

    public string DeviceName { get; init; } = "Reference robot";

    /// <summary>Where the device token is kept between runs (readable by the owner only).</summary>
    public string TokenFile { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".hikiconsult-robot.json");

    /// <summary>How often to look for an open session while there is none.</summary>
    public TimeSpan SessionPollInterval { get; init; } = TimeSpan.FromSeconds(10);
}
