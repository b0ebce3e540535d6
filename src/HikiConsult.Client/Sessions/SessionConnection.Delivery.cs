using HikiConsult.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Sessions;

/// <summary>Delivery in seq order: applying a join or resume, and repairing a gap the live pushes left.</summary>
public sealed partial class SessionConnection
{
    private void ApplyJoin(JoinSessionResult result, long requestedAfterSeq)
    {
        var state = new SessionStateDto(result.SessionId, result.State, result.Participants);
        lock (_gate)
        {
            if (_sequencer is null)
            {
                return;
            }

            Deliver(_sequencer.AcceptRange(result.Events));

            // The server returns every event after the seq asked for; one that starts later has lost events.
            var first = result.Events.Count == 0 ? (long?)null : result.Events.Min(e => e.Seq);
            if (first is { } firstSeq && firstSeq > requestedAfterSeq + 1 && _sequencer.LastDelivered < firstSeq - 1)
            {
                _logger.LogWarning("Resume of session {SessionId} after seq {AfterSeq} started at seq {FirstSeq}; skipping the missing seqs", result.SessionId, requestedAfterSeq, firstSeq);
                Deliver(_sequencer.SkipTo(firstSeq - 1));
            }

            _state = state;
            ArmGapRepairLocked();
        }

        StateChanged?.Invoke(state);
    }

    private void Deliver(IReadOnlyList<SessionEventDto> ready)
    {
        foreach (var item in ready)
        {
            _events.Writer.TryWrite(item);
        }
    }

    private void ArmGapRepairLocked()
    {
        if (_gapRepairArmed || _sequencer is not { MissingSeq: { } missing } || _stopping.IsCancellationRequested)
        {
            return;
        }

        _gapRepairArmed = true;
        _ = RepairGapAsync(missing);
    }

    /// <summary>Safety net: if a seq is still missing after a while, resume from the last delivered seq.</summary>
    private async Task RepairGapAsync(long missing)
    {
        try
        {
            await Task.Delay(_options.GapRepairDelay, _options.TimeProvider, _stopping.Token).ConfigureAwait(false);
            string? sessionId;
            long from;
            lock (_gate)
            {
                sessionId = _sessionId;
                from = _sequencer?.LastDelivered ?? 0;
                if (sessionId is null || from >= missing || !_ready.Task.IsCompletedSuccessfully)
                {
                    return;
                }
            }

            _logger.LogWarning("Session {SessionId}: seq {Missing} still missing; resuming from seq {From}", sessionId, missing, from);
            var result = await _hub.InvokeAsync<JoinSessionResult>(HubMethods.JoinSession, sessionId, from, _stopping.Token).ConfigureAwait(false);
            ApplyJoin(result, from);
        }
        catch (Exception ex) when (ex is OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // A reconnect resumes anyway; the next event re-arms the check.
            _logger.LogDebug(ex, "Gap repair did not complete");
        }
        finally
        {
            lock (_gate)
            {
                _gapRepairArmed = false;
                ArmGapRepairLocked();
            }
        }
    }
}
