namespace HikiConsult.Robot.Body;

/// <summary>Turns text into sound. The console body uses espeak-ng when it is installed.</summary>
public interface ISpeechOutput
{
    /// <summary>False when no speech engine is available (the body then only prints).</summary>
    bool IsAvailable { get; }

    Task SpeakAsync(string text, string? voice, CancellationToken cancellationToken);
}
