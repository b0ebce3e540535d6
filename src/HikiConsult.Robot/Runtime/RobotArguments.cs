namespace HikiConsult.Robot.Runtime;

/// <summary>Command line of the robot client.</summary>
public sealed record RobotArguments(RobotOptions? Options, string Voice, bool Keyboard, string? Error)
{
    public const string Usage = "HikiConsult.Robot --server http://localhost:5080 [--code ABC123] [--name \"Living room robot\"] [--token-file path] [--voice en] [--no-keyboard]";

    public static RobotArguments Parse(IReadOnlyList<string> args)
    {
        Uri? server = null;
        string? code = null, name = null, tokenFile = null;
        var voice = "en";
        var keyboard = true;

        for (var i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--server":
                    if (!Uri.TryCreate(Next(), UriKind.Absolute, out server) || server.Scheme is not ("http" or "https"))
                    {
                        return Fail("--server needs an http(s) address.");
                    }

                    break;
                case "--code":
                    code = Next();
                    break;
                case "--name":
                    name = Next();
                    break;
                case "--token-file":
                    tokenFile = Next();
                    break;
                case "--voice":
                    voice = Next() ?? voice;
                    break;
                case "--no-keyboard":
                    keyboard = false;
                    break;
                default:
                    return Fail($"Unknown argument '{args[i]}'.");
            }
        }

        if (server is null)
        {
            return Fail("--server is required.");
        }

        var options = new RobotOptions { Server = server, PairingCode = code };
        options = name is null ? options : options with { DeviceName = name };
        options = tokenFile is null ? options : options with { TokenFile = tokenFile };
        return new RobotArguments(options, voice, keyboard, null);
    }

    private static RobotArguments Fail(string error) => new(null, "en", false, error);
}
