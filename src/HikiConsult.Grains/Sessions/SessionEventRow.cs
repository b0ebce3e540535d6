using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Protection;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// One row of the <c>session_events</c> table as every provider stores it (times in Unix milliseconds; the body as
/// JSON text, encrypted unless it is a system event), and what the stores' reads make of it.
/// </summary>
public sealed record SessionEventRow(string SessionId, long Seq, long At, string SenderId, string SenderRole, string SenderName, string Kind, string Body)
{
    /// <summary>The columns of a row under the names of this record, for a SELECT.</summary>
    public const string Columns =
        "session_id AS SessionId, seq AS Seq, at AS At, sender_id AS SenderId, sender_role AS SenderRole, sender_name AS SenderName, kind AS Kind, body AS Body";

    public SessionEventDto ToDto(IClinicalDataProtector protector) => new(
        SessionId,
        Seq,
        DateTimeOffset.FromUnixTimeMilliseconds(At),
        new SenderDto(SenderId, SenderRole, SenderName),
        Kind,
        IClinicalDataProtector.IsProtected(Body)
            ? JsonSerializer.Deserialize<JsonElement>(protector.UnprotectToUtf8(Body))
            : JsonSerializer.Deserialize<JsonElement>(Body));
}
