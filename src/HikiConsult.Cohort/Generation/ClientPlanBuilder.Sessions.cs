using static HikiConsult.Cohort.Generation.InstrumentAnswers;

namespace HikiConsult.Cohort.Generation;

/// <summary>The client's sessions and their messages, and the signs and confounders that show in them.</summary>
internal sealed partial class ClientPlanBuilder
{
    private void Sessions()
    {
        var m = Model.Sessions;
        var days = SessionDays();
        var dayHour = m.UsualHour.Draw(_rng);
        var nightOwlHour = m.NightOwlHour.Draw(_rng);
        var baseMessages = (profile.Trajectory == Trajectory.Improving ? m.ImprovingClientMessages : m.UsualClientMessages).Draw(_rng);
        var drafts = new List<SessionDraft>();
        for (var week = 0; week < p.Weeks; week++)
        {
            foreach (var day in days)
            {
                var night = Has(Distractor.NightOwl)
                    || (Has(Signal.NightDrift) && week >= Onset
                        && _rng.NextDouble() < Math.Min(1, m.NightDriftOnsetWeekChance + (m.NightDriftWeeklyIncrease * (week - Onset))));
                var hour = Has(Distractor.NightOwl) ? nightOwlHour : night ? m.NightDriftHour.Draw(_rng) : dayHour;
                drafts.Add(new SessionDraft
                {
                    Week = week,
                    At = At(week, day, hour),
                    AtNight = night,
                    Outcome = UsualOutcome(week),
                    ClientMessages = MessagesFor(week, baseMessages),
                });
            }
        }

        PlanStreaks(drafts);
        PlaceSpecialMessages(drafts);

        foreach (var draft in drafts)
        {
            var messages = draft.Outcome == SessionOutcome.Attended ? Compose(draft) : [];
            _actions.Add(new PlannedSession(draft.At, profile.Index, draft.Outcome, draft.AtNight, messages, draft.Outcome == SessionOutcome.Attended ? draft.Screener : null));
            if (draft.Outcome != SessionOutcome.Attended)
            {
                continue;
            }

            if (draft.AtNight && draft.Week >= Onset)
            {
                Sign(Signal.NightDrift, draft.At, $"first session at night (local {TimeZoneInfo.ConvertTime(draft.At, TimeZoneInfo.FindSystemTimeZoneById(profile.TimeZone)):HH:mm})");
            }

            if (draft.Week >= Onset && draft.ClientMessages < baseMessages)
            {
                Sign(Signal.FallingEngagement, draft.At, $"{draft.ClientMessages} messages in a session (usually {baseMessages})");
            }
        }
    }

    /// <summary>Weekdays (0 = Monday) of the sessions, spread over the week.</summary>
    private int[] SessionDays() => p.SessionsPerWeek switch
    {
        1 => [_rng.Next(5)],
        2 => _rng.Next(3) switch { 0 => [0, 3], 1 => [1, 4], _ => [2, 5] },
        _ => _rng.Next(2) == 0 ? [0, 2, 4] : [1, 3, 5],
    };

    private SessionOutcome UsualOutcome(int week)
    {
        var m = Model.Sessions;
        var roll = _rng.NextDouble();
        var missed = profile.Trajectory == Trajectory.Deteriorating && week >= Onset && !Has(Signal.NoShowStreak)
            ? p.MissedSessionProbability * m.MissedAfterOnsetFactor
            : profile.Trajectory == Trajectory.Improving ? p.MissedSessionProbability * m.MissedWhenImprovingFactor : p.MissedSessionProbability;
        return roll < p.CancelledSessionProbability ? SessionOutcome.Cancelled
            : roll < p.CancelledSessionProbability + missed ? SessionOutcome.NoShow
            : SessionOutcome.Attended;
    }

    private int MessagesFor(int week, int baseMessages)
    {
        var m = Model.Sessions;
        if (profile.Trajectory == Trajectory.Improving)
        {
            return Math.Min(m.ImprovingClientMessagesCap, baseMessages + week);
        }

        if (Has(Signal.FallingEngagement) && week >= Onset)
        {
            return Math.Max(m.FallingEngagementFloor, (int)Math.Round(baseMessages * Math.Pow(m.FallingEngagementWeeklyFactor, week - Onset + 1)));
        }

        return Math.Max(m.UsualClientMessagesFloor, baseMessages + m.UsualClientMessagesJitter.Draw(_rng));
    }

    private void PlanStreaks(List<SessionDraft> drafts)
    {
        var m = Model.Sessions;
        if (Has(Distractor.EarlyNoShows))
        {
            foreach (var draft in drafts.Take(m.EarlyNoShows))
            {
                draft.Outcome = SessionOutcome.NoShow;
            }
        }

        if (!Has(Signal.NoShowStreak))
        {
            return;
        }

        var first = drafts.FindIndex(d => d.Week >= Onset);
        if (first < 0)
        {
            return;
        }

        // From one of the onset week's sessions or the first session after them.
        var start = Math.Min(drafts.Count - 1, first + _rng.Next(p.SessionsPerWeek + 1));
        var length = m.NoShowStreakLength.Draw(_rng);
        for (var i = start; i < drafts.Count; i++)
        {
            drafts[i].Outcome = i < start + length ? SessionOutcome.NoShow
                : _rng.NextDouble() < m.AttendanceAfterStreak ? SessionOutcome.Attended : SessionOutcome.NoShow;
        }

        Sign(Signal.NoShowStreak, drafts[start].At, $"first of {Math.Min(length, drafts.Count - start)} missed sessions in a row");
    }

    private void PlaceSpecialMessages(List<SessionDraft> drafts)
    {
        var m = Model.Sessions;
        var attended = drafts.Where(d => d.Outcome == SessionOutcome.Attended).ToList();
        if (attended.Count == 0)
        {
            return;
        }

        if (Has(Signal.RiskMessage))
        {
            var riskWeek = Onset + m.RiskMessageWeeksAfterOnset.Draw(_rng);
            var session = attended.FirstOrDefault(d => d.Week >= riskWeek) ?? attended.FirstOrDefault(d => d.Week >= Onset);
            if (session is not null)
            {
                var phrase = phrases.Risk[_rng.Next(phrases.Risk.Count)];
                session.Specials.Add(new PlannedMessage(MessageKind.Risk, phrase.Text, phrase.Category));
                var roll = _rng.NextDouble();
                var level = roll < m.ScreenerLevels.Low ? "low" : roll < m.ScreenerLevels.Moderate ? "moderate" : "high";
                session.Screener = new PlannedAssessment(session.At, profile.Index, CssrsScreener, CssrsAnswers(level), ByCounselor, null, level);
                Sign(Signal.RiskMessage, session.At, $"risk message ({phrase.Category}); C-SSRS screener {level}");
            }
        }

        if (Has(Distractor.NegatedRiskPhrase))
        {
            var session = attended[_rng.Next(attended.Count)];
            session.Specials.Add(new PlannedMessage(MessageKind.Negated, phrases.Negated[_rng.Next(phrases.Negated.Count)]));
        }

        if (Has(Distractor.TransientHopelessness))
        {
            var session = attended[_rng.Next(attended.Count)];
            session.Specials.Add(new PlannedMessage(MessageKind.TransientHopelessness, phrases.TransientHopelessness[_rng.Next(phrases.TransientHopelessness.Count)], "hopelessness"));
            session.Screener ??= new PlannedAssessment(session.At, profile.Index, CssrsScreener, CssrsAnswers("none"), ByCounselor, null, "none");
        }
    }

    /// <summary>Counselor and client take turns; special lines replace neutral ones at random places (never the first).</summary>
    private List<PlannedMessage> Compose(SessionDraft draft)
    {
        var count = Math.Max(draft.ClientMessages, draft.Specials.Count);
        var lines = new List<PlannedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            lines.Add(new PlannedMessage(MessageKind.Neutral, phrases.Neutral[_rng.Next(phrases.Neutral.Count)]));
        }

        // Not as the very first line when there is room: a client rarely opens with it.
        var places = Enumerable.Range(count > draft.Specials.Count ? 1 : 0, count > draft.Specials.Count ? count - 1 : count).ToArray();
        _rng.Shuffle(places);
        for (var i = 0; i < draft.Specials.Count; i++)
        {
            lines[places[i]] = draft.Specials[i];
        }

        var messages = new List<PlannedMessage>((2 * count) + 1);
        foreach (var line in lines)
        {
            messages.Add(new PlannedMessage(MessageKind.Counselor, phrases.Counselor[_rng.Next(phrases.Counselor.Count - 1)]));
            messages.Add(line);
        }

        // The counselor's last line closes the session.
        messages.Add(new PlannedMessage(MessageKind.Counselor, phrases.Counselor[^1]));
        return messages;
    }

    /// <summary>A session while it is being planned: its outcome and special lines are settled before its messages.</summary>
    private sealed class SessionDraft
    {
        public required int Week { get; init; }
        public required DateTimeOffset At { get; init; }
        public required bool AtNight { get; init; }
        public required SessionOutcome Outcome { get; set; }
        public required int ClientMessages { get; init; }
        public List<PlannedMessage> Specials { get; } = [];
        public PlannedAssessment? Screener { get; set; }
    }
}
