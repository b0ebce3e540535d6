using HikiConsult.Cohort.Generation;

namespace HikiConsult.Cohort.Tests;

/// <summary>The cohort definition shipped in seeds/cohort (copied next to the binaries).</summary>
internal static class CohortFiles
{
    public static CohortParameters Parameters => CohortParameters.Load(CohortRunner.DefaultConfigPath);

    public static PhraseBook Phrases => PhraseBook.Load(CohortRunner.DefaultPhrasesPath);

    /// <summary>A cohort small enough to play end to end in a few seconds, with every trajectory and language.</summary>
    public static CohortParameters Small => Parameters with
    {
        Weeks = 3,
        SessionsPerWeek = 2,
        Counselors = 2,
        Deteriorating = 4,
        Stable = 4,
        Improving = 2,
        OnsetWeek = new WeekRange(1, 1),
        SignalProbabilities = new SignalProbabilities { RiskMessage = 1.0, NoShowStreak = 0.5, FallingEngagement = 0.5 },
    };
}
