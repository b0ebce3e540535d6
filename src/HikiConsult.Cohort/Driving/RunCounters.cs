using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Driving;

/// <summary>What the harness played, counted as it went (clients are driven concurrently).</summary>
public sealed class RunCounters
{
    private int _sessionsAttended;
    private int _noShows;
    private int _cancelled;
    private int _clientMessages;
    private int _counselorMessages;
    private int _assessments;
    private int _isolationRecords;
    private int _hubConnections;
    private int _triageReads;

    public int SessionsAttended => _sessionsAttended;
    public int NoShows => _noShows;
    public int Cancelled => _cancelled;
    public int ClientMessages => _clientMessages;
    public int CounselorMessages => _counselorMessages;
    public int Assessments => _assessments;
    public int IsolationRecords => _isolationRecords;
    public int HubConnections => _hubConnections;
    public int TriageReads => _triageReads;

    public void Session(SessionOutcome outcome)
    {
        switch (outcome)
        {
            case SessionOutcome.Attended: Interlocked.Increment(ref _sessionsAttended); break;
            case SessionOutcome.NoShow: Interlocked.Increment(ref _noShows); break;
            default: Interlocked.Increment(ref _cancelled); break;
        }
    }

    public void ClientMessage() => Interlocked.Increment(ref _clientMessages);
    public void CounselorMessage() => Interlocked.Increment(ref _counselorMessages);
    public void Assessment() => Interlocked.Increment(ref _assessments);
    public void IsolationRecord() => Interlocked.Increment(ref _isolationRecords);
    public void HubConnection() => Interlocked.Increment(ref _hubConnections);
    public void TriageRead() => Interlocked.Increment(ref _triageReads);
}
