namespace HikiConsult.Contracts;

/// <summary>
/// The bounds of every string and list a client may send, stated once (docs/protocol.md has the same table).
/// A value over its bound is refused with an error naming the field; nothing of it is stored.
/// </summary>
public static class InputLimits
{
    /// <summary>Largest REST request body, in bytes (hub messages have their own bound, Hubs:MaximumReceiveMessageSize).</summary>
    public const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Deepest JSON nesting a body may have.</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>Any string field not named below.</summary>
    public const int MaxDefaultString = 256;

    /// <summary>Any list field not named below.</summary>
    public const int MaxDefaultListCount = 100;

    /// <summary>An id (<c>cl_…</c>, <c>se_…</c>, <c>us_…</c>, <c>dv_…</c>, alert ids).</summary>
    public const int MaxId = 64;

    public const int MaxAlias = 64;
    public const int MaxLanguageTag = 35;
    public const int MaxTimeZone = 64;
    public const int MaxKind = 16;
    public const int MaxPairingCode = 16;
    public const int MaxDeviceName = 64;
    public const int MaxConsentScope = 200;
    public const int MaxUsername = 64;
    public const int MaxDisplayName = 100;
    public const int MaxRole = 16;

    /// <summary>Refused before hashing: hashing is the costly step an attacker would feed.</summary>
    public const int MaxPassword = 1024;

    public const int MaxRefreshToken = 128;
    public const int MaxInstrumentId = 32;
    public const int MaxCompletedBy = 16;
    public const int MaxAnswers = 100;
    public const int MaxCondition = 200;
    public const int MaxConditions = 20;
    public const int MaxAnalyte = 64;
    public const int MaxUnit = 32;
    public const int MaxSex = 16;
    public const int MaxAssay = 200;
    public const int MaxDate = 10;

    /// <summary>Any query string value (<c>afterSeq</c>, <c>limit</c>, <c>status</c>, <c>targetId</c>).</summary>
    public const int MaxQueryValue = 128;

    public const int MaxQueryParameters = 16;

    /// <summary>A message's text (<c>text</c>, <c>speak</c>) and a session's closing note.</summary>
    public const int MaxText = 4000;

    /// <summary>The note of an alert acknowledgement.</summary>
    public const int MaxAcknowledgementNote = 2000;

    public const int MaxClientMsgId = 64;
    public const int MaxVoice = 64;
    public const int MaxSignalValue = 200;
}
