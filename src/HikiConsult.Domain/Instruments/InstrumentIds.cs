namespace HikiConsult.Domain.Instruments;

/// <summary>Ids of the shipped instruments.</summary>
public static class InstrumentIds
{
    public const string Hq25 = "hq25";
    public const string Hq25M = "hq25m";
    public const string Phq9 = "phq9";
    public const string Gad7 = "gad7";
    public const string Lsns6 = "lsns6";
    public const string CssrsScreener = "cssrs-screener";

    public static IReadOnlyList<string> Shipped { get; } = [Hq25, Hq25M, Phq9, Gad7, Lsns6, CssrsScreener];
}
