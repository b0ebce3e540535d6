using HikiConsult.Robot.Body;

namespace HikiConsult.Client.Tests.Robot;

/// <summary>A body that writes down every call, so tests can see exactly what the robot was told to do.</summary>
public sealed class RecordingRobotBody : IRobotBody
{
    private readonly System.Threading.Channels.Channel<string> _calls = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public List<string> Calls { get; } = [];

    public Exception? FailNextWith { get; set; }

    public System.Threading.Channels.ChannelReader<string> CallStream => _calls.Reader;

    public Task SpeakAsync(string text, string? voice, CancellationToken cancellationToken) => Record($"speak:{text}:{voice ?? "-"}");

    public Task GestureAsync(string name, CancellationToken cancellationToken) => Record($"gesture:{name}");

    public Task ExpressionAsync(string name, double weight, CancellationToken cancellationToken) =>
        Record(FormattableString.Invariant($"expression:{name}:{weight:0.##}"));

    public Task GazeAsync(string target, CancellationToken cancellationToken) => Record($"gaze:{target}");

    public Task ShowTextAsync(string text, CancellationToken cancellationToken) => Record($"text:{text}");

    private Task Record(string call)
    {
        if (FailNextWith is { } failure)
        {
            FailNextWith = null;
            throw failure;
        }

        lock (Calls)
        {
            Calls.Add(call);
        }

        _calls.Writer.TryWrite(call);
        return Task.CompletedTask;
    }
}
