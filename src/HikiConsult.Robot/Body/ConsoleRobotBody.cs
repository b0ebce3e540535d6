using System.Globalization;

namespace HikiConsult.Robot.Body;

/// <summary>
/// A body without hardware: prints what a robot would do and speaks through <see cref="ISpeechOutput"/> when one is
/// available. The starting point for a vendor's own <see cref="IRobotBody"/>.
/// </summary>
public sealed class ConsoleRobotBody(TextWriter output, ISpeechOutput speech) : IRobotBody
{
    public async Task SpeakAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"[robot] says{(voice is null ? "" : $" ({voice})")}: {text}");
        if (speech.IsAvailable)
        {
            await speech.SpeakAsync(text, voice, cancellationToken);
        }
    }

    public Task GestureAsync(string name, CancellationToken cancellationToken) =>
        output.WriteLineAsync($"[robot] gesture: {Describe(name)}");

    public Task ExpressionAsync(string name, double weight, CancellationToken cancellationToken) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[robot] expression: {name} at {weight:0.00}"));

    public Task GazeAsync(string target, CancellationToken cancellationToken) =>
        output.WriteLineAsync($"[robot] looks {(target == "client" ? "at the person" : target)}");

    public Task ShowTextAsync(string text, CancellationToken cancellationToken) =>
        output.WriteLineAsync($"[screen] {text}");

    private static string Describe(string gesture) => gesture switch
    {
        "nod" => "nod (head down and up)",
        "wave" => "wave (raises an arm and waves)",
        "bow" => "bow (leans forward from the waist)",
        "tilt" => "tilt (head to one side)",
        "shake" => "shake (head left and right)",
        "think" => "think (hand to chin, looks up)",
        "cheer" => "cheer (both arms up)",
        _ => gesture,
    };
}
