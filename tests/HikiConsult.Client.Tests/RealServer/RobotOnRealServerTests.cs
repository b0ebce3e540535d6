using System.Threading.Channels;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Client.Tests.Robot;
using HikiConsult.Contracts;
using HikiConsult.Robot.Runtime;
using static HikiConsult.Client.Tests.RealServer.EventAssertions;

namespace HikiConsult.Client.Tests.RealServer;

/// <summary>The reference robot against the real server: pairing, finding the session, acting out commands, sending signals.</summary>
public sealed class RobotOnRealServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _tokenDirectory = Directory.CreateTempSubdirectory("robot-").FullName;

    public void Dispose() => Directory.Delete(_tokenDirectory, recursive: true);

    [Fact]
    public async Task The_robot_pairs_joins_acts_out_new_commands_only_and_reports_touch_and_presence()
    {
        var counselorApi = new HikiConsultApi(new HttpClient { BaseAddress = fixture.BaseAddress });
        var login = await counselorApi.LoginAsync("demo.counselor", "demo-password");
        var client = await counselorApi.CreateClientAsync("Robot test client", "en");
        var session = await counselorApi.CreateSessionAsync(client.Id);
        var code = await counselorApi.CreatePairingCodeAsync(client.Id, DeviceKinds.Robot);

        await using var counselor = SessionConnection.For(counselorApi, HubPaths.Counselor, new SessionConnectionOptions
        {
            Self = new SenderDto(login.User.Id, login.User.Role, login.User.DisplayName),
        });
        await counselor.StartAsync();
        await counselor.JoinAsync(session.Id);
        var counselorEvents = new EventCollector(counselor);
        await counselor.SpeakAsync("said before the robot was there");

        var body = new RecordingRobotBody();
        var inputs = Channel.CreateUnbounded<RobotInput>();
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var options = new RobotOptions
        {
            Server = fixture.BaseAddress,
            PairingCode = code.Code,
            DeviceName = "Test robot",
            TokenFile = Path.Combine(_tokenDirectory, "robot.json"),
            SessionPollInterval = TimeSpan.FromMilliseconds(200),
        };
        var runner = new RobotRunner(options, body, http, TextWriter.Null);
        var joined = new TaskCompletionSource<JoinSessionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Joined += result => joined.TrySetResult(result);
        using var stop = new CancellationTokenSource(Generous);
        var running = runner.RunAsync(inputs.Reader, stop.Token);

        Assert.Equal(session.Id, (await joined.Task.WaitAsync(Generous)).SessionId);
        await counselorEvents.WaitForAsync(e => IsSignal(e, "presence", "here"));

        await counselor.SpeakAsync("Hello, nice to see you", "en");
        await counselor.GestureAsync("wave");
        await counselor.ExpressionAsync("happy", 0.7);
        await counselor.GazeAsync("away");
        await counselor.SendTextAsync("I am here when you are ready");

        var performed = new List<string>();
        using (var wait = new CancellationTokenSource(Generous))
        {
            while (performed.Count < 5)
            {
                performed.Add(await body.CallStream.ReadAsync(wait.Token));
            }
        }

        Assert.Equal(["speak:Hello, nice to see you:en", "gesture:wave", "expression:happy:0.7", "gaze:away", "text:I am here when you are ready"], performed);
        Assert.DoesNotContain(body.Calls, c => c.Contains("before the robot", StringComparison.Ordinal));

        inputs.Writer.TryWrite(new RobotInput.Signal("touch", "head"));
        await counselorEvents.WaitForAsync(e => IsSignal(e, "touch", "head") && e.Sender.Role == Roles.Client);

        inputs.Writer.TryWrite(new RobotInput.Quit());
        Assert.Equal(RobotExit.Stopped, await running.WaitAsync(Generous));
        await counselorEvents.WaitForAsync(e => IsSignal(e, "presence", "away"));
        Assert.True(File.Exists(options.TokenFile));
    }

    private static bool IsSignal(SessionEventDto e, string name, string value) =>
        e.Kind == EventKinds.Signal
        && e.Body.TryGetProperty("name", out var n) && n.GetString() == name
        && e.Body.TryGetProperty("value", out var v) && v.GetString() == value;
}
