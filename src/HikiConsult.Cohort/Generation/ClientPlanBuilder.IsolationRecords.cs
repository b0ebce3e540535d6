using static HikiConsult.Cohort.Generation.InstrumentAnswers;

namespace HikiConsult.Cohort.Generation;

/// <summary>The counselor's isolation records (the inputs of the Kato, Kanba &amp; Teo 2020 criteria) and the Kato progression.</summary>
internal sealed partial class ClientPlanBuilder
{
    // The mean length of a month (365.25 / 12 days): isolation is recorded in months.
    private const double DaysPerMonth = 30.44;

    private void IsolationRecords()
    {
        var m = Model.IsolationRecords;
        double months;
        int daysOut;
        if (Has(Signal.KatoProgression))
        {
            months = m.KatoProgressionMonths.Draw(_rng);
            daysOut = m.KatoProgressionDaysOut;
        }
        else if (Has(Distractor.StablePreHikikomori))
        {
            months = m.PreHikikomoriMonths.Draw(_rng);
            daysOut = m.PreHikikomoriDaysOut.Draw(_rng);
        }
        else
        {
            months = (profile.Trajectory == Trajectory.Improving ? m.ImprovingMonths : m.OtherMonths).Draw(_rng);
            daysOut = profile.Trajectory == Trajectory.Improving ? m.ImprovingDaysOut : m.OtherDaysOut.Draw(_rng);
        }

        var distress = _rng.NextDouble() < m.DistressChance;
        var previousStatus = "";
        for (var week = 0; week < p.Weeks; week += m.EveryWeeks)
        {
            var at = At(week, m.Weekday, m.Hour);
            var elapsedMonths = Math.Round(months + (week * 7 / DaysPerMonth), 1);
            var days = daysOut;
            var oneRoom = false;
            if (week > 0 && profile.Trajectory == Trajectory.Improving)
            {
                days = Math.Min(7, m.ImprovingDaysOutAtSecondRecord + (week / m.EveryWeeks) - 1);
            }
            else if (week >= Onset && Has(Signal.KatoProgression))
            {
                // Rarely leaves one room: severe.
                days = 0;
                oneRoom = true;
            }

            var status = KatoStatus(elapsedMonths, days, impairment: true);
            _actions.Add(new PlannedIsolationRecord(at, profile.Index, elapsedMonths, days, oneRoom, true, distress, status));
            if (week > 0 && week >= Onset && status != previousStatus)
            {
                Sign(Signal.KatoProgression, at, $"Kato 2020 status {previousStatus} → {status}");
            }

            previousStatus = status;
        }
    }
}
