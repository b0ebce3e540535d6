using HikiConsult.Contracts;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Bodies of the server's own events (kind <c>system</c>): <c>{action: "joined"|"left", participant}</c> and
/// <c>{action: "state", state, from, by?}</c>. Closing notes are not in the log: they are clinic records, not
/// something a device should receive.
/// </summary>
public static class SystemEvents
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string State = "state";

    public static readonly SenderDto Server = new("server", Roles.System, "HikiConsult");

    public static NormalizedBody Presence(string action, SenderDto participant) => NormalizedBody.Write(w =>
    {
        w.WriteString("action", action);
        w.WriteStartObject("participant");
        w.WriteString("id", participant.Id);
        w.WriteString("role", participant.Role);
        w.WriteString("displayName", participant.DisplayName);
        w.WriteEndObject();
    });

    public static NormalizedBody StateChange(string state, string? from, string? by) => NormalizedBody.Write(w =>
    {
        w.WriteString("action", State);
        w.WriteString("state", state);
        if (from is not null)
        {
            w.WriteString("from", from);
        }

        if (by is not null)
        {
            w.WriteString("by", by);
        }
    });
}
