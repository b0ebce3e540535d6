using System.Threading.Channels;
using HikiConsult.Contracts;
using HikiConsult.Robot.Body;
using HikiConsult.Robot.Runtime;

// Usage: HikiConsult.Robot --server http://localhost:5080 [--code ABC123] [--name "Living room robot"] [--token-file path] [--voice en] [--no-keyboard]
var arguments = RobotArguments.Parse(args);
if (arguments.Error is not null)
{
    Console.Error.WriteLine(arguments.Error);
    Console.Error.WriteLine(RobotArguments.Usage);
    return 64;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var inputs = Channel.CreateUnbounded<RobotInput>();
if (arguments.Keyboard)
{
    _ = Task.Run(() =>
    {
        // Console.ReadLine blocks; a background thread keeps it away from the session loops.
        while (Console.ReadLine() is { } line)
        {
            if (KeyboardInputParser.Parse(line) is { } input)
            {
                inputs.Writer.TryWrite(input);
            }
        }

        inputs.Writer.TryComplete();
    });
}

using var http = new HttpClient { BaseAddress = arguments.Options!.Server };
var body = new ConsoleRobotBody(Console.Out, new EspeakSpeechOutput(arguments.Voice));
var runner = new RobotRunner(arguments.Options, body, http, Console.Out);
runner.Dispatched += (item, outcome) =>
{
    // Own and system events are not commands; only report counselor commands the body could not act out.
    if (!outcome.Performed && item.Sender.Role is Roles.Counselor or Roles.Supervisor)
    {
        Console.WriteLine($"  (seq {item.Seq}: {outcome.Description})");
    }
};

var exit = await runner.RunAsync(inputs.Reader, stop.Token);
return (int)exit;
