namespace HikiConsult.Domain;

/// <summary>
/// Published sources behind the clinical computations, quoted by the results that use them.
/// Instrument citations live in the instrument definition files; these are the ones used by code.
/// </summary>
public static class Sources
{
    public const string Kato2020 =
        "Kato TA, Kanba S, Teo AR. Defining pathological social withdrawal: proposed diagnostic criteria for hikikomori. " +
        "World Psychiatry. 2020;19(1):116-117. doi:10.1002/wps.20705";

    public const string Teo2018Hq25 =
        "Teo AR, Chen JI, Kubo H, Katsuki R, Sato-Kasai M, Shimokawa N, Hayakawa K, Umene-Nakano W, Aikens JE, Kanba S, Kato TA. " +
        "Development and validation of the 25-item Hikikomori Questionnaire (HQ-25). Psychiatry Clin Neurosci. 2018;72(10):780-788. " +
        "doi:10.1111/pcn.12691";

    public const string Kroenke2001Phq9 =
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. " +
        "J Gen Intern Med. 2001;16(9):606-613. doi:10.1046/j.1525-1497.2001.016009606.x";

    public const string Posner2011Cssrs =
        "Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity Rating Scale: initial validity and internal " +
        "consistency findings from three multisite studies with adolescents and adults. Am J Psychiatry. 2011;168(12):1266-1277. " +
        "doi:10.1176/appi.ajp.2011.10111704";

    public const string Setoyama2022 =
        "Setoyama D, Kato TA, et al. Blood metabolic signatures of hikikomori, pathological social withdrawal. " +
        "Dialogues Clin Neurosci. 2022. doi:10.1080/19585969.2022.2046978";

    /// <summary>The risk lexicons and concept rules are this product's own, not a validated instrument.</summary>
    public const string RiskLexicon =
        "HikiConsult risk lexicons and concept rules (en, ja, nl): keyword phrases and concept patterns with negation " +
        "and context rules, written for this product; not a validated instrument. Levels and categories follow the " +
        "wish / ideation / method / intent / behaviour steps of the C-SSRS screener " +
        "(Posner et al., Am J Psychiatry 2011, doi:10.1176/appi.ajp.2011.10111704).";

    /// <summary>Engagement measures are descriptive counts of the session history, not a validated scale.</summary>
    public const string EngagementAnalytics =
        "HikiConsult session-history analytics: descriptive counts of attendance, messages and activity times; " +
        "night-time activity (00:00-05:00 local) is watched as a sign of sleep-wake reversal; not a validated scale.";

    public const string TriageRules =
        "HikiConsult triage rules: weighted, explainable combination of the sources quoted in each reason " +
        "(risk alerts, PHQ-9 item 9, C-SSRS screener, Kato 2020 status, HQ-25, session history); weights are configuration, not evidence.";
}
