using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HikiConsult.Robot.Body;

/// <summary>Speech through the espeak-ng command line, when it is on the PATH.</summary>
public sealed partial class EspeakSpeechOutput : ISpeechOutput
{
    private readonly string? _executable;
    private readonly string _defaultVoice;

    public EspeakSpeechOutput(string defaultVoice = "en")
    {
        _executable = FindOnPath("espeak-ng");
        _defaultVoice = IsSafeVoice(defaultVoice) ? defaultVoice : "en";
    }

    public bool IsAvailable => _executable is not null;

    public async Task SpeakAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        if (_executable is null)
        {
            return;
        }

        // Arguments go as a list, never through a shell, so the counselor's text cannot become a command.
        var start = new ProcessStartInfo(_executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-v");
        start.ArgumentList.Add(voice is not null && IsSafeVoice(voice) ? voice : _defaultVoice);
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(text);

        using var process = Process.Start(start);
        if (process is null)
        {
            return;
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Voice names are short language tags or espeak voice names: letters, digits, '-', '+' and '_'.</summary>
    public static bool IsSafeVoice(string voice) => VoicePattern().IsMatch(voice);

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]{0,31}$")]
    private static partial Regex VoicePattern();
}
