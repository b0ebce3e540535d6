using static HikiConsult.Cohort.Generation.InstrumentAnswers;

namespace HikiConsult.Cohort.Generation;

/// <summary>The client's PHQ-9 and HQ-25 self-reports, and the signs and confounders that show in them.</summary>
internal sealed partial class ClientPlanBuilder
{
    private void SelfReports()
    {
        var m = Model.SelfReports;
        var phqBase = (profile.Trajectory == Trajectory.Improving ? m.ImprovingPhq9Start : m.OtherPhq9Start).Draw(_rng);
        var hqStart = profile.Trajectory switch
        {
            Trajectory.Improving => m.ImprovingHq25Start,
            Trajectory.Stable when Has(Distractor.StablePreHikikomori) => m.PreHikikomoriHq25Start,
            Trajectory.Deteriorating when Has(Signal.KatoProgression) => m.KatoProgressionHq25Start,
            _ => m.OtherHq25Start,
        };
        var hqBase = hqStart.Draw(_rng);

        // The one PHQ-9 of a transient item 9: any administration of the horizon.
        var transientPhqAt = _rng.Next(Math.Max(1, (p.Weeks + m.Phq9EveryWeeks - 1) / m.Phq9EveryWeeks)) * m.Phq9EveryWeeks;
        var phq = phqBase;
        var hq = hqBase;
        var phqAfterOnset = 0;
        for (var week = 0; week < p.Weeks; week++)
        {
            var at = At(week, 0, m.Hour);
            if (week % m.Phq9EveryWeeks == 0)
            {
                var item9 = 0;
                if (week > 0)
                {
                    phq = profile.Trajectory switch
                    {
                        Trajectory.Improving => Math.Max(m.ImprovingPhq9Floor, phq - m.ImprovingPhq9Fall.Draw(_rng)),
                        Trajectory.Deteriorating when week >= Onset => Math.Min(Phq9FirstEightMax, phq + m.DeterioratingPhq9Rise.Draw(_rng)),
                        _ => Math.Clamp(phqBase + m.StablePhq9Jitter.Draw(_rng), 0, Phq9FirstEightMax),
                    };
                }

                if (profile.Trajectory == Trajectory.Deteriorating && Has(Signal.Phq9Item9) && week >= Onset)
                {
                    // "Some days" at the first PHQ-9 from the onset, "most days" after (the answers of phq9.json).
                    item9 = phqAfterOnset++ == 0 ? 1 : 2;
                    Sign(Signal.Phq9Item9, at, $"PHQ-9 item 9 answered {item9}");
                }
                else if ((Has(Distractor.EarlyPhq9Item9) && week == 0) || (Has(Distractor.TransientPhq9Item9) && week == transientPhqAt))
                {
                    item9 = 1;
                }

                _actions.Add(new PlannedAssessment(at, profile.Index, Phq9, Phq9Answers(_rng, phq, item9), ByClient, phq + item9, null));
            }

            if (week % m.Hq25EveryWeeks == 0)
            {
                if (week > 0)
                {
                    var before = hq;
                    hq = profile.Trajectory switch
                    {
                        Trajectory.Improving => Math.Max(m.ImprovingHq25Floor, hq - m.ImprovingHq25Fall.Draw(_rng)),
                        Trajectory.Deteriorating when week >= Onset && Has(Signal.RisingHq25) => Math.Min(m.RisingHq25Cap, hq + m.RisingHq25Rise.Draw(_rng)),
                        _ => Math.Clamp(hqBase + m.StableHq25Jitter.Draw(_rng), 0, Hq25Max),
                    };
                    if (hq > before && week >= Onset)
                    {
                        Sign(Signal.RisingHq25, at, $"HQ-25 {before} → {hq}");
                    }
                }

                _actions.Add(new PlannedAssessment(at, profile.Index, Hq25, Hq25Answers(_rng, hq), ByClient, hq, null));
            }
        }
    }
}
