using HikiConsult.Domain.Risk;

namespace HikiConsult.Domain.Tests.Risk;

/// <summary>Concept combinations: what fires, at which level, and why a look-alike is cancelled.</summary>
public sealed class ConceptDetectionTests
{
    private static readonly RiskDetector Detector = RiskDetector.LoadShipped();

    [Theory]
    [InlineData("honestly i hope i never wake up again", "en.wish-not-alive", RiskLevel.WishToBeDead)]
    [InlineData("everyone would be better off if i wasn't here", "en.others-better-off", RiskLevel.WishToBeDead)]
    [InlineData("I searched what amount of my meds would be lethal", "en.method-looked-up", RiskLevel.Method)]
    [InlineData("im going to end my life on saturday", "en.intent-to-die-when", RiskLevel.IntentOrPlan)]
    [InlineData("i've been stockpiling tablets in my wardrobe", "en.means-acquired", RiskLevel.Behaviour)]
    [InlineData("もう二度と目覚めたくない", "ja.wish-not-alive", RiskLevel.WishToBeDead)]
    [InlineData("致死量を調べてた", "ja.method-looked-up", RiskLevel.Method)]
    [InlineData("ik snij mezelf de laatste tijd bijna elke avond weer", "nl.self-harm", RiskLevel.Behaviour)]
    [InlineData("Ik zie het echt allemaal niet meer zitten", "nl.not-wanting-life", RiskLevel.WishToBeDead)]
    // A gap of nine characters but three words (本当に, きれい, さっぱり by ICU's dictionary): counted in words, it fits.
    [InlineData("何もかも本当にきれいさっぱり終わりにしたい", "ja.wish-not-alive", RiskLevel.WishToBeDead)]
    [InlineData("vanavond neem ik al mijn pillen in", "nl.take-all-when", RiskLevel.IntentOrPlan)]
    // Folded, the katakana シーン (a scene: a fiction cue) is しん, as in しんどい: no fiction cue may read it.
    [InlineData("生きてるのしんどすぎる", "ja.hopeless-about-living", RiskLevel.WishToBeDead)]
    [InlineData("ik heb mijn arm met een aansteker verbrand", "nl.self-harm", RiskLevel.Behaviour)]
    [InlineData("there's no way out of this, dying is the only answer", "en.death-as-solution", RiskLevel.ActiveIdeation)]
    public void A_concept_combination_fires_with_its_pattern_and_level(string text, string pattern, RiskLevel level)
    {
        var matches = Detector.Detect(text);

        Assert.NotEmpty(matches);
        var top = matches.MaxBy(m => m.Level)!;
        Assert.Equal(pattern, top.Pattern);
        Assert.Equal(level, top.Level);
        Assert.Equal(top.Evidence, text.Substring(top.Start, top.Length));
    }

    [Theory]
    [InlineData("my cousin told everyone he wants to die", "someone else")]
    [InlineData("I'd never want to die, I have too much to do", "negation")]
    [InlineData("in the game my character wants to die so the story can end", "game or fiction")]
    [InlineData("the nurse asked if I ever wanted to kill myself", "reported speech")]
    [InlineData("back in high school I wanted to die but I don't feel like that now", "past, now denied")]
    [InlineData("恥ずかしすぎて消えたいくらいだったよ", "idiom")]
    [InlineData("自殺なんてしない", "negation")]
    [InlineData("ik lach me dood om die film", null)]
    // A medicine and a day are an errand, not intent: a time word counts only with killing oneself or "doing it".
    [InlineData("i need to pick up my meds from the pharmacy tomorrow", null)]
    [InlineData("ik moet morgen mijn medicijnen ophalen", null)]
    // "Decided" alone is no intent: what was decided here is not to.
    [InlineData("自殺は絶対しないって決めてる", "negation")]
    public void A_look_alike_raises_no_alert_and_keeps_its_reason(string text, string? reason)
    {
        Assert.Empty(Detector.Detect(text));
        if (reason is not null) Assert.Contains(Detector.Inspect(text), m => m.Negated && m.Reason == reason);
    }

    [Fact]
    public void A_cancelled_pattern_does_not_hide_a_live_one_in_another_sentence()
    {
        var matches = Detector.Detect("I would never hurt myself. But I've been saving my pills");

        Assert.Equal(RiskLevel.Behaviour, Assert.Single(matches).Level);
    }
}
