using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Robot.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace HikiConsult.Client.Tests.Robot;

public sealed class RobotCommandDispatcherTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SenderDto Counselor = new("u1", Roles.Counselor, "Counselor");

    private readonly RecordingRobotBody _body = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RobotCommandDispatcher _dispatcher;

    public RobotCommandDispatcherTests() => _dispatcher = new RobotCommandDispatcher(_body, _time);

    private static SessionEventDto Event(string kind, object body, SenderDto? sender = null, DateTimeOffset? at = null) =>
        new("s1", 1, at ?? Now, sender ?? Counselor, kind, JsonSerializer.SerializeToElement(body));

    [Fact]
    public async Task Each_command_kind_reaches_the_matching_body_call()
    {
        await _dispatcher.DispatchAsync(Event(EventKinds.Speak, new { text = "Hello", voice = "ja" }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Gesture, new { name = "nod" }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Expression, new { name = "happy", weight = 0.4 }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Gaze, new { target = "client" }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Text, new { text = "See you" }), default);

        Assert.Equal(["speak:Hello:ja", "gesture:nod", "expression:happy:0.4", "gaze:client", "text:See you"], _body.Calls);
    }

    [Fact]
    public async Task Expression_weight_defaults_to_full_and_is_clamped()
    {
        await _dispatcher.DispatchAsync(Event(EventKinds.Expression, new { name = "sad" }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Expression, new { name = "relaxed", weight = 3.5 }), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Expression, new { name = "angry", weight = -1 }), default);

        Assert.Equal(["expression:sad:1", "expression:relaxed:1", "expression:angry:0"], _body.Calls);
    }

    [Theory]
    [InlineData(EventKinds.Gesture, """{"name":"backflip"}""", "unknown name")]
    [InlineData(EventKinds.Expression, """{"name":"smug"}""", "unknown preset")]
    [InlineData(EventKinds.Gaze, """{"target":"ceiling-fan"}""", "unknown target")]
    [InlineData(EventKinds.Speak, """{"text":""}""", "no text")]
    [InlineData(EventKinds.Speak, """{"text":42}""", "no text")]
    [InlineData(EventKinds.Speak, "\"just a string\"", "not an object")]
    [InlineData(EventKinds.System, """{"type":"joined"}""", "nothing for a body")]
    public async Task Malformed_or_unknown_commands_are_skipped_with_a_reason(string kind, string json, string reason)
    {
        var item = new SessionEventDto("s1", 1, Now, Counselor, kind, JsonDocument.Parse(json).RootElement.Clone());

        var outcome = await _dispatcher.DispatchAsync(item, default);

        Assert.False(outcome.Performed);
        Assert.Contains(reason, outcome.Description);
        Assert.Empty(_body.Calls);
    }

    [Theory]
    [InlineData(Roles.Client)]
    [InlineData(Roles.Family)]
    [InlineData(Roles.System)]
    [InlineData(Roles.Admin)]
    public async Task Only_counselors_and_supervisors_move_the_body(string role)
    {
        var outcome = await _dispatcher.DispatchAsync(Event(EventKinds.Speak, new { text = "hi" }, new SenderDto("x", role, "X")), default);

        Assert.False(outcome.Performed);
        Assert.Empty(_body.Calls);
    }

    [Fact]
    public async Task A_supervisor_may_command_the_body()
    {
        var outcome = await _dispatcher.DispatchAsync(Event(EventKinds.Gesture, new { name = "wave" }, new SenderDto("s", Roles.Supervisor, "S")), default);

        Assert.True(outcome.Performed);
        Assert.Equal(["gesture:wave"], _body.Calls);
    }

    [Fact]
    public async Task Old_speech_and_gestures_are_not_acted_out_but_old_expression_and_gaze_still_apply()
    {
        var old = Now - TimeSpan.FromMinutes(5);

        var speak = await _dispatcher.DispatchAsync(Event(EventKinds.Speak, new { text = "late" }, at: old), default);
        var gesture = await _dispatcher.DispatchAsync(Event(EventKinds.Gesture, new { name = "bow" }, at: old), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Expression, new { name = "happy", weight = 1 }, at: old), default);
        await _dispatcher.DispatchAsync(Event(EventKinds.Gaze, new { target = "away" }, at: old), default);

        Assert.Contains("too old", speak.Description);
        Assert.Contains("too old", gesture.Description);
        Assert.Equal(["expression:happy:1", "gaze:away"], _body.Calls);
    }

    [Fact]
    public async Task Speech_just_inside_the_age_limit_is_still_said()
    {
        _time.Advance(TimeSpan.FromSeconds(29));

        var outcome = await _dispatcher.DispatchAsync(Event(EventKinds.Speak, new { text = "still fresh" }), default);

        Assert.True(outcome.Performed);
    }
}
