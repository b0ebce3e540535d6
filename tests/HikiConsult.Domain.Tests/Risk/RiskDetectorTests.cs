using HikiConsult.Domain.Risk;

namespace HikiConsult.Domain.Tests.Risk;

public sealed class RiskDetectorTests
{
    private static readonly RiskDetector Detector = RiskDetector.LoadShipped();

    // ---------------- English ----------------

    [Theory]
    [InlineData("I want to die", RiskCategory.Suicide, "want to die")]
    [InlineData("I've been thinking about killing myself lately", RiskCategory.Suicide, "killing myself")]
    [InlineData("Sometimes I cut myself when it gets bad", RiskCategory.SelfHarm, "cut myself")]
    [InlineData("I have been saving up pills in a drawer", RiskCategory.PlanOrMeans, "saving up pills")]
    [InlineData("There is no point in living anymore", RiskCategory.Hopelessness, "no point in living")]
    [InlineData("Everyone would be better off without me", RiskCategory.Hopelessness, "better off without me")]
    [InlineData("I WANT TO DIE", RiskCategory.Suicide, "WANT TO DIE")]
    [InlineData("Ｉ ｗａｎｔ ｔｏ ｄｉｅ", RiskCategory.Suicide, "ｗａｎｔ ｔｏ ｄｉｅ")]
    [InlineData("i   want \t  to die", RiskCategory.Suicide, "want \t  to die")]
    [InlineData("I don’t want to live anymore", RiskCategory.Suicide, "don’t want to live")]
    [InlineData("I'm going to hang myself tonight", RiskCategory.PlanOrMeans, "hang myself")]
    [InlineData("I can't stop thinking about killing myself", RiskCategory.Suicide, "killing myself")]
    [InlineData("I don't know why I want to die", RiskCategory.Suicide, "want to die")]
    [InlineData("I looked up how to kill myself", RiskCategory.PlanOrMeans, "how to kill myself")]
    [InlineData("No, I want to die", RiskCategory.Suicide, "want to die")]
    public void English_risk_phrases_are_detected_with_the_evidence_as_written(string text, RiskCategory category, string evidence)
    {
        var match = Assert.Single(Detector.Detect(text));

        Assert.Equal(category, match.Category);
        Assert.Equal("en", match.Language);
        Assert.Equal(evidence, match.Evidence);
        Assert.Equal(evidence, text.Substring(match.Start, match.Length));
    }

    [Theory]
    [InlineData("I would never hurt myself", "never")]
    [InlineData("I don't want to die", "don't")]
    [InlineData("I'm not going to kill myself, I promise", "not")]
    [InlineData("I have no intention of killing myself", "no")]
    [InlineData("Suicide is not an option for me", "is not an option")]
    [InlineData("I never thought about suicide", "never")]
    public void English_negated_phrases_raise_no_alert(string text, string cue)
    {
        Assert.Empty(Detector.Detect(text));
        var inspected = Assert.Single(Detector.Inspect(text));
        Assert.True(inspected.Negated);
        Assert.Equal(cue, inspected.NegationCue);
    }

    [Theory]
    [InlineData("I played games all night and slept until noon")]
    [InlineData("Can we move our session to Thursday?")]
    [InlineData("My mother made dinner for me")]
    [InlineData("That exam really killed me")]
    [InlineData("I'm dying to see the new movie")]
    [InlineData("I cut my hair myself today")]
    [InlineData("The new diet is going well")]
    [InlineData("I feel a bit better today")]
    public void English_neutral_text_raises_nothing(string text)
    {
        Assert.Empty(Detector.Inspect(text));
    }

    // ---------------- Japanese ----------------

    [Theory]
    [InlineData("もう死にたい", RiskCategory.Suicide, "死にたい")]
    [InlineData("シニタイ", RiskCategory.Suicide, "シニタイ")]
    [InlineData("ｼﾆﾀｲ", RiskCategory.Suicide, "ｼﾆﾀｲ")]
    [InlineData("しにたーい", RiskCategory.Suicide, "しにたーい")]
    [InlineData("消えてしまいたいと毎日思う", RiskCategory.Suicide, "消えてしまいたい")]
    [InlineData("リスカがやめられない", RiskCategory.SelfHarm, "リスカ")]
    [InlineData("薬をためている", RiskCategory.PlanOrMeans, "薬をため")]
    [InlineData("首を吊ろうかと考えた", RiskCategory.PlanOrMeans, "首を吊")]
    [InlineData("生きる意味がない", RiskCategory.Hopelessness, "生きる意味がない")]
    [InlineData("自殺したい", RiskCategory.Suicide, "自殺")]
    [InlineData("昨日ＯＤしちゃった", RiskCategory.PlanOrMeans, "ＯＤ")]
    [InlineData("自殺の方法を調べた", RiskCategory.PlanOrMeans, "自殺の方法")]
    [InlineData("死にたいけど何もしない", RiskCategory.Suicide, "死にたい")]
    public void Japanese_risk_phrases_are_detected_in_kana_width_and_elongation_variants(string text, RiskCategory category, string evidence)
    {
        var match = Assert.Single(Detector.Detect(text));

        Assert.Equal(category, match.Category);
        Assert.Equal("ja", match.Language);
        Assert.Equal(evidence, match.Evidence);
    }

    [Theory]
    [InlineData("自殺なんてしない", "なんてしない")]
    [InlineData("死にたいとは思わない", "とは思わない")]
    [InlineData("リスカはもうしていない", "はもうしていない")]
    [InlineData("自殺するつもりはない", "つもりはない")]
    [InlineData("自殺なんて絶対しない", "絶対しない")]
    public void Japanese_negated_phrases_raise_no_alert(string text, string cue)
    {
        Assert.Empty(Detector.Detect(text));
        var inspected = Assert.Single(Detector.Inspect(text));
        Assert.True(inspected.Negated);
        Assert.Equal(cue, inspected.NegationCue);
    }

    [Theory]
    [InlineData("今日は天気がいいですね")]
    [InlineData("昨日ゲームをしました")]
    [InlineData("この仕事を終わりにしたい")]
    [InlineData("死ぬほど笑った")]
    [InlineData("明日カウンセラーさんと話したい")]
    [InlineData("自分を切り替えたい")]
    [InlineData("死にたくない")]
    public void Japanese_neutral_text_raises_nothing(string text)
    {
        Assert.Empty(Detector.Inspect(text));
    }

    // ---------------- Dutch ----------------

    [Theory]
    [InlineData("Ik wil dood", RiskCategory.Suicide, "wil dood")]
    [InlineData("Soms wil ik dood", RiskCategory.Suicide, "wil ik dood")]
    [InlineData("Soms wil ik gewoon sterven", RiskCategory.Suicide, "wil ik gewoon sterven")]
    [InlineData("ik denk steeds aan zelfmoord", RiskCategory.Suicide, "zelfmoord")]
    [InlineData("Ik wil er een einde aan maken", RiskCategory.Suicide, "er een einde aan maken")]
    [InlineData("ik doe mezelf soms pijn", RiskCategory.SelfHarm, "doe mezelf soms pijn")]
    [InlineData("ik heb pillen gespaard", RiskCategory.PlanOrMeans, "pillen gespaard")]
    [InlineData("het heeft allemaal geen zin meer", RiskCategory.Hopelessness, "heeft allemaal geen zin meer")]
    [InlineData("niemand zou me missen", RiskCategory.Hopelessness, "niemand zou me missen")]
    [InlineData("Ik wil niet meer leven", RiskCategory.Suicide, "niet meer leven")]
    [InlineData("IK WIL MEZELF VAN KANT MAKEN", RiskCategory.Suicide, "MEZELF VAN KANT MAKEN")]
    [InlineData("ik wil nooit meer wakker worden", RiskCategory.Suicide, "nooit meer wakker worden")]
    [InlineData("ik heb erover nagedacht om voor de trein te springen", RiskCategory.PlanOrMeans, "voor de trein te springen")]
    [InlineData("Ik denk aan suïcide", RiskCategory.Suicide, "suïcide")]
    public void Dutch_risk_phrases_are_detected(string text, RiskCategory category, string evidence)
    {
        var match = Assert.Single(Detector.Detect(text, "nl"));

        Assert.Equal(category, match.Category);
        Assert.Equal("nl", match.Language);
        Assert.Equal(evidence, match.Evidence);
    }

    [Theory]
    [InlineData("ik zou mezelf nooit iets aandoen", "nooit")]
    [InlineData("ik denk niet aan zelfmoord", "niet")]
    [InlineData("ik wil niet dood gaan", "niet")]
    [InlineData("soms wil ik echt niet dood", "niet")]
    [InlineData("ik ga mezelf geen pijn doen", "geen")]
    [InlineData("zelfmoord is geen optie voor mij", "is geen optie")]
    [InlineData("ik heb nooit aan zelfdoding gedacht", "nooit")]
    public void Dutch_negated_phrases_raise_no_alert(string text, string cue)
    {
        Assert.Empty(Detector.Detect(text));
        var inspected = Assert.Single(Detector.Inspect(text));
        Assert.True(inspected.Negated);
        Assert.Equal(cue, inspected.NegationCue);
    }

    [Theory]
    [InlineData("Ik heb vandaag boodschappen gedaan")]
    [InlineData("Mijn moeder kookt vanavond")]
    [InlineData("Ik ben doodmoe na het gamen")]
    [InlineData("Kunnen we de afspraak verzetten?")]
    [InlineData("Ik wil graag een nieuwe hobby")]
    [InlineData("Ik heb geen zin in school")]
    [InlineData("Ik hang de was op")]
    public void Dutch_neutral_text_raises_nothing(string text)
    {
        Assert.Empty(Detector.Inspect(text));
    }

    // ---------------- behaviour across languages ----------------

    [Fact]
    public void Each_clause_is_judged_on_its_own()
    {
        var matches = Detector.Inspect("I would never hurt myself. But I want to die");

        Assert.Equal(2, matches.Count);
        Assert.True(matches[0].Negated);
        Assert.False(matches[1].Negated);
        Assert.Equal(RiskCategory.Suicide, Assert.Single(Detector.Detect("I would never hurt myself. But I want to die")).Category);
    }

    [Fact]
    public void Every_hit_in_a_message_is_reported_with_its_position()
    {
        var text = "死にたい。I have saved up pills and nobody would miss me";

        var matches = Detector.Detect(text);

        Assert.Equal([RiskCategory.Suicide, RiskCategory.PlanOrMeans, RiskCategory.Hopelessness], matches.Select(m => m.Category));
        Assert.Equal(["ja", "en", "en"], matches.Select(m => m.Language));
        Assert.All(matches, m => Assert.Equal(m.Evidence, text.Substring(m.Start, m.Length)));
    }

    [Fact]
    public void The_language_hint_only_chooses_the_language_of_a_phrase_two_lexicons_share()
    {
        Assert.Equal("en", Assert.Single(Detector.Detect("suicide")).Language);
        Assert.Equal("nl", Assert.Single(Detector.Detect("suicide", "nl")).Language);
        Assert.Equal("ja", Assert.Single(Detector.Detect("死にたい", "en")).Language);
    }

    [Fact]
    public void Word_boundaries_keep_short_terms_from_matching_inside_words()
    {
        Assert.Empty(Detector.Inspect("This is a good method, and I feel fine"));
        Assert.Empty(Detector.Inspect("the kmspico tool"));
    }

    [Fact]
    public void Empty_and_whitespace_text_yield_nothing()
    {
        Assert.Empty(Detector.Detect(""));
        Assert.Empty(Detector.Detect("   \n  "));
    }

    [Fact]
    public void Shipped_lexicons_cover_three_languages_and_every_category()
    {
        var lexicons = RiskLexicon.LoadShipped();

        Assert.Equal(["en", "ja", "nl"], lexicons.Select(l => l.Language));
        Assert.All(lexicons, l => Assert.Equal(
            Enum.GetValues<RiskCategory>().Select(c => c.ToString()).Order(StringComparer.OrdinalIgnoreCase),
            l.Terms.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase));
        Assert.Equal(["en", "ja", "nl"], Detector.Languages);
    }

    [Fact]
    public void A_custom_lexicon_can_be_compiled()
    {
        var lexicon = RiskLexicon.Parse("""{"language":"xx","terms":{"suicide":["alpha ... omega"]},"negation":{"before":["non"]}}""", "test");
        var detector = new RiskDetector([lexicon]);

        Assert.Single(detector.Detect("alpha beta omega"));
        Assert.Empty(detector.Detect("alpha beta gamma delta omega"));
        Assert.Empty(detector.Detect("alpha non omega"));
    }

    [Fact]
    public void A_lexicon_with_an_unknown_category_is_rejected()
    {
        Assert.Throws<InvalidRecordException>(() => RiskLexicon.Parse("""{"language":"xx","terms":{"sadness":["x"]}}""", "test"));
    }

    [Fact]
    public void Normalisation_folds_width_case_kana_and_spaces_and_maps_back_to_the_original()
    {
        var n = TextNormalizer.Normalize("  ＡＢＣ  カタカナ　ｶﾞｷﾞ\r\n\r\n Don’t  ");

        Assert.Equal("abc かたかな がぎ\ndon't", n.Text);
        var (start, length) = n.OriginalRange(n.Text.IndexOf("がぎ", StringComparison.Ordinal), 2);
        Assert.Equal("ｶﾞｷﾞ", n.Original.Substring(start, length));
    }

    [Fact]
    public void Normalisation_that_expands_the_text_still_maps_each_folded_character_back()
    {
        // ㍻ folds to two characters: forty folded from twenty, past the first buffer's size.
        var original = string.Concat(Enumerable.Repeat("㍻", 20)) + " \t Ｘ";
        var n = TextNormalizer.Normalize(original);

        Assert.Equal(string.Concat(Enumerable.Repeat("平成", 20)) + " x", n.Text);
        Assert.Equal((19, 1), n.OriginalRange(39, 1));
        var (start, length) = n.OriginalRange(39, 3);
        Assert.Equal("㍻ \t Ｘ", original.Substring(start, length));
    }
}
