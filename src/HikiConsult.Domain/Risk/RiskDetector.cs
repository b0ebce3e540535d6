using System.Collections.Frozen;
using HikiConsult.Domain.Risk.Concepts;

namespace HikiConsult.Domain.Risk;

/// <summary>
/// Finds suicide, self-harm, hopelessness, burden, farewell and plan-or-means language in English, Japanese and Dutch
/// messages in two ways: keyword phrases (the lexicons, compiled into a first-character index) and concept
/// combinations inside a sentence (Risk/Concepts: self-reference × death or not waking × desire, method × intent,
/// burden × others better off, farewell acts, repeated self-harm verbs with any adverbs between). Negation, idioms,
/// fiction, someone else, reported speech, quotations and past ideation now denied cancel a hit with the reason kept.
/// Each hit names the pattern that fired and its C-SSRS-aligned level. Thread-safe. A hit never blocks or alters a
/// message: it is evidence for a counselor (decision support, not a diagnosis).
/// </summary>
public sealed class RiskDetector
{
    public const string Source = Sources.RiskLexicon;
    public const string Label = DecisionSupport.Label;

    /// <summary>
    /// A detector over the shipped lexicons and concept rules. Loading compiles them: the server registers one in DI,
    /// like the instrument catalog, and everything else keeps the one it loaded.
    /// </summary>
    public static RiskDetector LoadShipped() => new(RiskLexicon.LoadShipped(), ConceptRules.LoadShipped());

    /// <summary>A detector over the shipped keyword lexicons alone (the detector before concept rules), to compare against.</summary>
    public static RiskDetector LoadShippedLexiconsOnly() => new(RiskLexicon.LoadShipped());

    private readonly ConceptMatcher[] _concepts;

    private readonly FrozenDictionary<char, Term[]> _byFirstChar;
    private readonly CompiledLexicon[] _lexicons;

    /// <summary>A keyword-only detector over <paramref name="lexicons"/>.</summary>
    public RiskDetector(IEnumerable<RiskLexicon> lexicons)
        : this(lexicons, [])
    {
    }

    public RiskDetector(IEnumerable<RiskLexicon> lexicons, IEnumerable<ConceptRules> concepts)
    {
        ArgumentNullException.ThrowIfNull(lexicons);
        ArgumentNullException.ThrowIfNull(concepts);
        _concepts = [.. concepts.Select(c => new ConceptMatcher(c))];
        _lexicons = lexicons.Select((l, i) => new CompiledLexicon(l, i)).ToArray();
        var terms = new List<Term>();
        foreach (var lexicon in _lexicons)
        {
            foreach (var (key, phrases) in lexicon.Source.Terms)
            {
                var category = Enum.Parse<RiskCategory>(key, ignoreCase: true);
                foreach (var phrase in phrases)
                {
                    var segments = phrase.Split("...", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(TextNormalizer.NormalizeTerm)
                        .ToArray();
                    terms.Add(new Term(phrase, segments, category, lexicon));
                }
            }
        }
        _byFirstChar = terms
            .DistinctBy(t => (string.Join("\u0001", t.Segments), t.Category, t.Lexicon.Index))
            .GroupBy(t => t.Segments[0][0])
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(t => t.Segments.Sum(s => s.Length)).ToArray());
        Languages = _lexicons.Select(l => l.Language).ToArray();
    }

    public IReadOnlyList<string> Languages { get; }

    /// <summary>Risk hits that are not negated: what raises an alert.</summary>
    public IReadOnlyList<RiskMatch> Detect(string text, string? languageHint = null)
    {
        var all = Inspect(text, languageHint);
        return all.Count == 0 ? all : all.Where(m => !m.Negated).ToArray();
    }

    /// <summary>
    /// Every hit including negated ones (with their cue), for explaining why a message did or did not raise an
    /// alert. Every lexicon is searched whatever the hint (a client may switch language); the hint only decides
    /// which language a phrase shared by two lexicons is reported in.
    /// </summary>
    public IReadOnlyList<RiskMatch> Inspect(string text, string? languageHint = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var normalized = TextNormalizer.Normalize(text);
        var lexiconHits = LexiconHits(normalized.Text, languageHint);
        if (_concepts.Length == 0)
        {
            return lexiconHits is null ? [] : [.. lexiconHits.Select(h => ToMatch(normalized, h))];
        }

        var analysis = new MessageAnalysis(normalized);
        var hits = new List<Hit>();
        if (lexiconHits is not null)
        {
            foreach (var h in lexiconHits)
            {
                // The lexicon's own negation first; then the concept rules' other cancellations (someone else, fiction...).
                if (h.Reason is null && _concepts.FirstOrDefault(c => c.Language == h.Language) is { } matcher
                    && matcher.CancellationOf(analysis, h.Start, h.End) is ({ } reason, var cue))
                {
                    hits.Add(h with { Reason = reason, Cue = cue });
                }
                else
                {
                    hits.Add(h);
                }
            }
        }
        var conceptHits = new List<Hit>();
        var latinLanguage = LatinLanguage(analysis, languageHint);
        foreach (var matcher in _concepts)
        {
            // English and Dutch share a script and a few words ("suicide"): only the language the message is written in reads it.
            if (matcher.ReadsWords && latinLanguage is not null && matcher.Language != latinLanguage) continue;
            foreach (var c in matcher.Find(analysis))
            {
                conceptHits.Add(new Hit(c.Start, c.End, c.Pattern.Category, c.Language, c.Pattern.Id, c.Pattern.Level,
                    $"{c.Language}.{c.Pattern.Id}", c.Reason, c.Cue));
            }
        }
        // Live hits before cancelled ones, higher levels and longer spans first: a cancelled pattern never hides a live one.
        conceptHits.Sort((a, b) =>
        {
            var c = (a.Reason is null).CompareTo(b.Reason is null);
            if (c != 0) return -c;
            c = b.Level.CompareTo(a.Level);
            return c != 0 ? c : (b.End - b.Start).CompareTo(a.End - a.Start);
        });
        foreach (var c in conceptHits)
        {
            var merged = false;
            for (var i = 0; i < hits.Count; i++)
            {
                var h = hits[i];
                if (!(c.Start < h.End && h.Start < c.End)) continue;
                if (h.Pattern == Lexicon && (h.Reason is null) == (c.Reason is null))
                {
                    // The same words, read both ways: keep the phrase as evidence, the concept pattern (more specific
                    // than the phrase's category) as the why and the level.
                    hits[i] = h with { Pattern = c.Pattern, Level = c.Level };
                    merged = true;
                    break;
                }
                if (h.Reason is null || c.Reason is not null)
                {
                    merged = true; // a live hit already covers these words, or both are cancelled
                    break;
                }
            }
            if (!merged) hits.Add(c);
        }
        hits.Sort((a, b) => a.Start.CompareTo(b.Start));
        return [.. hits.Select(h => ToMatch(normalized, h))];
    }

    private const string Lexicon = "lexicon";

    // Frequent function words that tell English from Dutch in a short message.
    private static readonly FrozenSet<string> s_englishWords = FrozenSet.ToFrozenSet(
        ["i", "the", "to", "and", "a", "is", "it", "my", "me", "you", "not", "of", "i'm", "im", "don't", "dont", "this", "that", "be", "want", "have", "just", "so"], StringComparer.Ordinal);
    private static readonly FrozenSet<string> s_dutchWords = FrozenSet.ToFrozenSet(
        ["ik", "de", "het", "een", "en", "niet", "is", "mijn", "me", "je", "dat", "van", "wil", "zou", "ben", "heb", "maar", "er", "meer", "mezelf", "om", "te", "voor", "gewoon"], StringComparer.Ordinal);

    /// <summary>"en" or "nl" when the message's Latin-script words are clearly one of them, else the hint if it is one, else null (both read).</summary>
    private static string? LatinLanguage(MessageAnalysis analysis, string? hint)
    {
        int en = 0, nl = 0;
        foreach (var t in analysis.Tokens)
        {
            if (s_englishWords.Contains(t.Word)) en++;
            if (s_dutchWords.Contains(t.Word)) nl++;
        }
        if (en > nl) return "en";
        if (nl > en) return "nl";
        return hint is "en" or "nl" ? hint : null;
    }

    private static RiskMatch ToMatch(NormalizedText normalized, Hit h)
    {
        var (start, length) = normalized.OriginalRange(h.Start, h.End - h.Start);
        return new RiskMatch(h.Category, h.Language, normalized.Original.Substring(start, length), start, length, h.Term,
            h.Reason is not null, h.Cue)
        {
            Level = h.Level,
            Pattern = h.Pattern,
            Reason = h.Reason,
        };
    }

    /// <summary>Level a keyword phrase shows by itself, before any concept pattern refines it.</summary>
    private static RiskLevel LexiconLevel(RiskCategory category) => category switch
    {
        RiskCategory.PlanOrMeans => RiskLevel.Method,
        RiskCategory.Suicide or RiskCategory.SelfHarm => RiskLevel.ActiveIdeation,
        _ => RiskLevel.WishToBeDead,
    };

    /// <summary>Keyword hits in folded-text positions, negation by the lexicon's rules; null when none.</summary>
    private List<Hit>? LexiconHits(string s, string? languageHint)
    {
        List<Candidate>? candidates = null;
        for (var i = 0; i < s.Length; i++)
        {
            if (!_byFirstChar.TryGetValue(s[i], out var terms)) continue;
            foreach (var term in terms)
            {
                if (!SegmentAt(s, i, term.Segments[0])) continue;
                var end = i + term.Segments[0].Length;
                List<(int Start, int End)>? gaps = null;
                var matched = true;
                for (var k = 1; k < term.Segments.Length; k++)
                {
                    var next = FindAfterGap(s, end, term.Segments[k], term.Lexicon);
                    if (next < 0)
                    {
                        matched = false;
                        break;
                    }
                    if (next > end) (gaps ??= []).Add((end, next));
                    end = next + term.Segments[k].Length;
                }
                if (!matched) continue;
                (candidates ??= []).Add(new Candidate(i, end, term, gaps));
            }
        }
        if (candidates is null) return null;

        // Overlapping hits: keep the longest; for the same span prefer the hinted language, then the more urgent category.
        candidates.Sort((a, b) =>
        {
            var c = a.Start.CompareTo(b.Start);
            if (c != 0) return c;
            c = (b.End - b.Start).CompareTo(a.End - a.Start);
            if (c != 0) return c;
            c = HintRank(a, languageHint).CompareTo(HintRank(b, languageHint));
            if (c != 0) return c;
            c = RiskCategories.Urgency(a.Term.Category).CompareTo(RiskCategories.Urgency(b.Term.Category));
            return c != 0 ? c : a.Term.Lexicon.Index.CompareTo(b.Term.Lexicon.Index);
        });
        var result = new List<Hit>();
        var lastEnd = -1;
        foreach (var candidate in candidates)
        {
            if (candidate.Start < lastEnd) continue;
            lastEnd = candidate.End;
            var cue = NegationCue(s, candidate);
            result.Add(new Hit(candidate.Start, candidate.End, candidate.Term.Category, candidate.Term.Lexicon.Language,
                candidate.Term.Phrase, LexiconLevel(candidate.Term.Category), Lexicon, cue is null ? null : "negation", cue));
        }
        return result;
    }

    /// <summary>A hit in folded-text positions, from a lexicon phrase or a concept pattern.</summary>
    private sealed record Hit(int Start, int End, RiskCategory Category, string Language, string Term, RiskLevel Level,
        string Pattern, string? Reason, string? Cue);

    private static int HintRank(Candidate c, string? hint) =>
        hint is not null && string.Equals(c.Term.Lexicon.Language, hint, StringComparison.OrdinalIgnoreCase) ? 0 : 1;

    /// <summary>The cue that negates a hit within its clause, or null.</summary>
    private static string? NegationCue(string s, Candidate c)
    {
        var rules = c.Term.Lexicon;
        // A negation in a gap of the phrase: "mezelf nooit iets aandoen".
        if (c.Gaps is not null)
        {
            foreach (var (gapStart, gapEnd) in c.Gaps)
            {
                for (var p = gapStart; p < gapEnd; p++)
                {
                    if (IsWordStart(s, p))
                    {
                        var word = WordAt(s, p);
                        if (rules.IsNegator(word) && !rules.PseudoAt(s, p)) return word.ToString();
                    }
                    else if (!IsLatinWordAt(s, p) && rules.AfterCueAt(s, p) is { } cue) return cue;
                }
            }
        }
        return rules.BeforeCue(s, c.Start) ?? rules.AfterCue(s, c.End);
    }

    /// <summary>Start of <paramref name="segment"/> after at most the lexicon's gap, in the same clause; -1 if none.</summary>
    private static int FindAfterGap(string s, int pos, string segment, CompiledLexicon lexicon)
    {
        if (IsLatinWordChar(segment[0]))
        {
            var skipped = 0;
            for (var j = pos; j < s.Length; j++)
            {
                if (IsClauseBoundary(s[j])) return -1;
                if (!IsWordStart(s, j)) continue;
                if (SegmentAt(s, j, segment)) return j;
                if (++skipped > lexicon.MaxGapWords) return -1;
            }
            return -1;
        }
        for (var j = pos; j < s.Length && j - pos <= lexicon.MaxGapChars; j++)
        {
            if (IsClauseBoundary(s[j])) return -1;
            if (SegmentAt(s, j, segment)) return j;
        }
        return -1;
    }

    /// <summary>Whether <paramref name="segment"/> is at <paramref name="i"/>, on word boundaries where it begins or ends with a Latin letter.</summary>
    internal static bool SegmentAt(string s, int i, string segment)
    {
        if (!s.AsSpan(i).StartsWith(segment, StringComparison.Ordinal)) return false;
        if (IsLatinWordChar(segment[0]) && i > 0 && IsLatinWordAt(s, i - 1)) return false;
        var end = i + segment.Length;
        if (IsLatinWordChar(segment[^1]) && end < s.Length && IsLatinWordAt(s, end)) return false;
        return true;
    }

    internal static bool IsClauseBoundary(char c) =>
        c is '.' or '!' or '?' or ';' or ':' or ',' or '\n' or '\u3002' or '\u3001' or '\u2026';

    internal static bool IsLatinWordChar(char c) => c < '\u0250' && char.IsLetterOrDigit(c);

    /// <summary>A letter or digit of a Latin word; an apostrophe counts only between two of them (don't, i'm).</summary>
    internal static bool IsLatinWordAt(string s, int i)
    {
        var c = s[i];
        if (c == '\'') return i > 0 && i + 1 < s.Length && IsLatinWordChar(s[i - 1]) && IsLatinWordChar(s[i + 1]);
        return IsLatinWordChar(c);
    }

    internal static bool IsWordStart(string s, int i) => IsLatinWordAt(s, i) && (i == 0 || !IsLatinWordAt(s, i - 1));

    internal static ReadOnlySpan<char> WordAt(string s, int start)
    {
        var e = start;
        while (e < s.Length && IsLatinWordAt(s, e)) e++;
        return s.AsSpan(start, e - start);
    }

    private sealed record Candidate(int Start, int End, Term Term, List<(int Start, int End)>? Gaps);

    private sealed record Term(string Phrase, string[] Segments, RiskCategory Category, CompiledLexicon Lexicon);

    private sealed class CompiledLexicon
    {
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _before;
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _breakerWords;
        private readonly string[] _beforeSuffixes;
        private readonly string[] _after;
        private readonly string[] _breakerPhrases;
        private readonly string[] _pseudo;
        private readonly int _beforeWindow;
        private readonly int _afterWindow;

        public CompiledLexicon(RiskLexicon source, int index)
        {
            Source = source;
            Index = index;
            Language = source.Language;
            MaxGapWords = source.MaxGapWords;
            MaxGapChars = source.MaxGapChars;
            var n = source.Negation;
            _before = n.Before.Select(TextNormalizer.NormalizeTerm).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            _beforeSuffixes = n.BeforeSuffixes.Select(TextNormalizer.NormalizeTerm).ToArray();
            _after = n.After.Select(TextNormalizer.NormalizeTerm).OrderByDescending(a => a.Length).ToArray();
            var breakers = n.ScopeBreakers.Select(TextNormalizer.NormalizeTerm).ToArray();
            _breakerWords = breakers.Where(b => b.All(IsLatinWordChar)).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            _breakerPhrases = breakers;
            _pseudo = n.Pseudo.Select(TextNormalizer.NormalizeTerm).ToArray();
            _beforeWindow = n.BeforeWindow;
            _afterWindow = n.AfterWindow;
        }

        public RiskLexicon Source { get; }
        public int Index { get; }
        public string Language { get; }
        public int MaxGapWords { get; }
        public int MaxGapChars { get; }

        public bool IsNegator(ReadOnlySpan<char> word)
        {
            if (_before.Contains(word)) return true;
            foreach (var suffix in _beforeSuffixes)
            {
                if (word.Length > suffix.Length && word.EndsWith(suffix, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        public bool PseudoAt(string s, int p)
        {
            foreach (var pseudo in _pseudo)
            {
                if (SegmentAt(s, p, pseudo)) return true;
            }
            return false;
        }

        /// <summary>A negator among the words just before the hit, unless a scope breaker or the clause start comes first.</summary>
        public string? BeforeCue(string s, int start)
        {
            var words = 0;
            var j = start - 1;
            while (j >= 0)
            {
                if (IsClauseBoundary(s[j])) return null;
                if (!IsLatinWordAt(s, j))
                {
                    j--;
                    continue;
                }
                var end = j + 1;
                while (j >= 0 && IsLatinWordAt(s, j)) j--;
                var wordStart = j + 1;
                var word = s.AsSpan(wordStart, end - wordStart);
                if (++words > _beforeWindow) return null;
                if (_breakerWords.Contains(word)) return null;
                if (IsNegator(word) && !PseudoAt(s, wordStart)) return word.ToString();
            }
            return null;
        }

        /// <summary>A cue starting shortly after the hit in the same clause ("自殺なんてしない", "suicide is not an option").</summary>
        public string? AfterCue(string s, int end)
        {
            if (_after.Length == 0) return null;
            var p = end;
            while (p < s.Length && s[p] == ' ') p++;
            var limit = Math.Min(s.Length - 1, p + _afterWindow);
            for (; p <= limit; p++)
            {
                if (IsClauseBoundary(s[p])) return null;
                if (IsLatinWordAt(s, p) && !IsWordStart(s, p)) continue;
                foreach (var breaker in _breakerPhrases)
                {
                    if (SegmentAt(s, p, breaker)) return null;
                }
                if (PseudoAt(s, p)) continue;
                if (AfterCueAt(s, p) is { } cue) return cue;
            }
            return null;
        }

        public string? AfterCueAt(string s, int p)
        {
            foreach (var cue in _after)
            {
                if (SegmentAt(s, p, cue)) return cue;
            }
            return null;
        }
    }
}
