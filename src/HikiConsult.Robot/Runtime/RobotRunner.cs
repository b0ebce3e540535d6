using System.Net;
using System.Threading.Channels;
using HikiConsult.Client.Api;
using HikiConsult.Client.Sessions;
using HikiConsult.Client.Transport;
using HikiConsult.Contracts;
using HikiConsult.Robot.Body;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Robot.Runtime;

public enum RobotExit
{
    /// <summary>Stopped by the operator (quit or cancellation).</summary>
    Stopped = 0,

    /// <summary>Not paired and no code given, or the code was refused.</summary>
    NotPaired = 2,

    /// <summary>The device was revoked by the clinic; the stored token has been forgotten.</summary>
    Revoked = 3,
}

/// <summary>
/// The robot's life: pair (or reuse the stored token), find the client's open session, join it, act out the
/// counselor's commands through the body, and pass the person's inputs to the session; when the session ends,
/// wait for the next one.
/// </summary>
public sealed class RobotRunner(RobotOptions options, IRobotBody body, HttpClient http, TextWriter log, TimeProvider? timeProvider = null)
{
    private static readonly HashSet<string> OpenStates = new(StringComparer.Ordinal) { SessionStates.Active, SessionStates.Waiting, SessionStates.Scheduled };
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly DeviceTokenStore _store = new(options.TokenFile);

    /// <summary>Raised when the robot has joined a session (for tests and status displays).</summary>
    public event Action<JoinSessionResult>? Joined;

    /// <summary>Raised after each counselor event was handled.</summary>
    public event Action<SessionEventDto, DispatchOutcome>? Dispatched;

    public async Task<RobotExit> RunAsync(ChannelReader<RobotInput> inputs, CancellationToken cancellationToken)
    {
        var api = new HikiConsultApi(http);
        var device = await EnsurePairedAsync(api, cancellationToken);
        if (device is null)
        {
            return RobotExit.NotPaired;
        }

        api.AccessToken = device.AccessToken;
        var dispatcher = new RobotCommandDispatcher(body, _time);
        var saidWaiting = false;

        while (!cancellationToken.IsCancellationRequested)
        {
            SessionDto? session;
            try
            {
                session = Choose(await api.GetMySessionsAsync(cancellationToken));
            }
            catch (HikiConsultApiException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                return Revoked();
            }
            catch (HttpRequestException ex)
            {
                await log.WriteLineAsync($"The server cannot be reached ({ex.Message}); trying again.");
                await DelayAsync(cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (session is null)
            {
                if (!saidWaiting)
                {
                    await log.WriteLineAsync("No open session for this client yet; waiting.");
                    saidWaiting = true;
                }

                await DelayAsync(cancellationToken);
                continue;
            }

            saidWaiting = false;
            var exit = await RunSessionAsync(api, device, session, dispatcher, inputs, cancellationToken);
            if (exit is not null)
            {
                return exit.Value;
            }
        }

        return RobotExit.Stopped;
    }

    /// <summary>Returns an exit when the robot should stop, or null to look for the next session.</summary>
    private async Task<RobotExit?> RunSessionAsync(
        HikiConsultApi api, StoredDevice device, SessionDto session, RobotCommandDispatcher dispatcher, ChannelReader<RobotInput> inputs, CancellationToken cancellationToken)
    {
        await using var connection = SessionConnection.For(api, HubPaths.Avatar, new SessionConnectionOptions
        {
            Self = new SenderDto(device.DeviceId, Roles.Client, options.DeviceName),
        });
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.StateChanged += state =>
        {
            if (!OpenStates.Contains(state.State))
            {
                ended.TrySetResult();
            }
        };

        try
        {
            await connection.StartAsync(cancellationToken);

            // Start after what already happened: replaying old commands would make the robot act out the past.
            var joined = await connection.JoinAsync(session.Id, session.LastSeq, cancellationToken);
            Joined?.Invoke(joined);
            await log.WriteLineAsync($"Joined session {joined.SessionId} ({joined.State}); {KeyboardInputParser.Usage}");
            await connection.SignalAsync("presence", "here", cancellationToken);
        }
        catch (HubConnectRefusedException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return Revoked();
        }
        catch (HubException ex)
        {
            await log.WriteLineAsync($"Could not join session {session.Id}: {ex.Message}");
            await DelayAsync(cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RobotExit.Stopped;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException)
        {
            await log.WriteLineAsync($"Could not connect ({ex.Message}); trying again.");
            await DelayAsync(cancellationToken);
            return null;
        }

        using var sessionStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = PerformAsync(connection, dispatcher, sessionStop.Token);
        var input = ForwardInputsAsync(connection, inputs, sessionStop.Token);
        var first = await Task.WhenAny(events, input, ended.Task);
        sessionStop.Cancel();

        if (first == input && await input)
        {
            await SayGoodbyeAsync(connection);
            return RobotExit.Stopped;
        }

        if (first == events && events.IsFaulted && events.Exception!.GetBaseException() is HubConnectRefusedException { StatusCode: HttpStatusCode.Unauthorized })
        {
            return Revoked();
        }

        if (first == ended.Task)
        {
            // Let the closing events reach the log before leaving.
            await log.WriteLineAsync("The session has ended.");
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            await SayGoodbyeAsync(connection);
            return RobotExit.Stopped;
        }

        await log.WriteLineAsync("The session connection closed; looking for the session again.");
        await DelayAsync(cancellationToken);
        return null;
    }

    private async Task PerformAsync(SessionConnection connection, RobotCommandDispatcher dispatcher, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in connection.ReadEventsAsync(cancellationToken))
            {
                DispatchOutcome outcome;
                try
                {
                    outcome = await dispatcher.DispatchAsync(item, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A body fault must not end the session: report it and carry on with the next command.
                    outcome = DispatchOutcome.Ignored($"{item.Kind}: the body failed ({ex.Message})");
                    await log.WriteLineAsync(outcome.Description);
                }

                Dispatched?.Invoke(item, outcome);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns true when the operator asked to quit.</summary>
    private async Task<bool> ForwardInputsAsync(SessionConnection connection, ChannelReader<RobotInput> inputs, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var input in inputs.ReadAllAsync(cancellationToken))
            {
                try
                {
                    switch (input)
                    {
                        case RobotInput.Quit:
                            return true;
                        case RobotInput.Help:
                            await log.WriteLineAsync(KeyboardInputParser.Usage);
                            break;
                        case RobotInput.Signal signal:
                            await connection.SignalAsync(signal.Name, signal.Value, cancellationToken);
                            break;
                        case RobotInput.Text text:
                            await connection.SendTextAsync(text.Message, cancellationToken);
                            break;
                    }
                }
                catch (HubException ex)
                {
                    await log.WriteLineAsync($"Not sent: {ex.Message}");
                }
            }

            // The input source ended (e.g. stdin closed): keep performing until the session ends.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return false;
    }

    private async Task SayGoodbyeAsync(SessionConnection connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await connection.SignalAsync("presence", "away", timeout.Token);
            await connection.LeaveAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HubException or InvalidOperationException or ObjectDisposedException)
        {
            // Leaving is a courtesy; the server notices the closed connection anyway.
        }
    }

    private async Task<StoredDevice?> EnsurePairedAsync(HikiConsultApi api, CancellationToken cancellationToken)
    {
        var stored = _store.Load(options.Server);
        if (stored is not null && string.IsNullOrWhiteSpace(options.PairingCode))
        {
            return stored;
        }

        if (string.IsNullOrWhiteSpace(options.PairingCode))
        {
            await log.WriteLineAsync("This robot is not paired yet. Ask the counselor for a pairing code and start with --code <code>.");
            return null;
        }

        try
        {
            var paired = await api.PairDeviceAsync(options.PairingCode.Trim(), options.DeviceName, cancellationToken);
            var device = new StoredDevice(options.Server, paired.DeviceId, paired.AccessToken, paired.ClientId, paired.Kind);
            _store.Save(device);
            await log.WriteLineAsync($"Paired as {paired.Kind} device {paired.DeviceId}.");
            return device;
        }
        catch (HikiConsultApiException ex)
        {
            await log.WriteLineAsync($"Pairing failed: {ex.Problem?.Detail ?? ex.Problem?.Title ?? ex.StatusCode.ToString()}");
            return null;
        }
    }

    private RobotExit Revoked()
    {
        _store.Forget();
        log.WriteLine("This robot's pairing was revoked by the clinic. Pair it again with a new code.");
        return RobotExit.Revoked;
    }

    private async Task DelayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.SessionPollInterval, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The session to join: a running one first, then a waiting one, then the next scheduled.</summary>
    public static SessionDto? Choose(IEnumerable<SessionDto> sessions) =>
        sessions
            .Where(s => OpenStates.Contains(s.State))
            .OrderBy(s => s.State switch { SessionStates.Active => 0, SessionStates.Waiting => 1, _ => 2 })
            .ThenBy(s => s.ScheduledAt ?? s.CreatedAt)
            .FirstOrDefault();
}
