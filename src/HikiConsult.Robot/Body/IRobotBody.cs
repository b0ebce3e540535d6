namespace HikiConsult.Robot.Body;

/// <summary>
/// What a robot vendor implements to give the counselor's avatar commands a physical form. Calls arrive one at a
/// time in session order; a call may take as long as the movement or utterance lasts. Names are the protocol's
/// vocabulary (see <c>AvatarVocabulary</c>); a body maps each to its nearest ability and ignores what it cannot do.
/// </summary>
public interface IRobotBody
{
    /// <summary>Says <paramref name="text"/> aloud. <paramref name="voice"/> is a language or voice hint, may be null.</summary>
    Task SpeakAsync(string text, string? voice, CancellationToken cancellationToken);

    /// <summary>Plays a gesture: nod, wave, bow, tilt, shake, think, cheer.</summary>
    Task GestureAsync(string name, CancellationToken cancellationToken);

    /// <summary>Shows a VRM 1.0 expression preset (happy, angry, sad, relaxed, surprised, neutral) at a weight of 0..1.</summary>
    Task ExpressionAsync(string name, double weight, CancellationToken cancellationToken);

    /// <summary>Turns the gaze: client (look at the person), away, up, down, left, right.</summary>
    Task GazeAsync(string target, CancellationToken cancellationToken);

    /// <summary>Shows a counselor's chat message on a screen, if the robot has one; robots without a screen ignore it.</summary>
    Task ShowTextAsync(string text, CancellationToken cancellationToken) => Task.CompletedTask;
}
