using System.Collections.Frozen;

namespace HikiConsult.Domain.Risk.Concepts;

/// <summary>
/// Finds concept combinations of one language in a message: each concept's terms are matched (stems in English and
/// Dutch, folded text in Japanese), a pattern fires when all its concepts occur in one sentence, and cues for
/// negation, idioms, fiction, someone else, reported speech and past ideation now denied cancel it with the reason
/// kept. Compiled once; thread-safe.
/// </summary>
internal sealed partial class ConceptMatcher
{
    private readonly ConceptRules _rules;
    private readonly bool _words;
    private readonly (string Name, TermSet Terms)[] _concepts;
    private readonly (ConceptPattern Pattern, int[] Concepts)[] _patterns;
    private readonly FrozenSet<string> _negatorStems;
    private readonly FrozenSet<string> _breakerWords;
    private readonly FrozenSet<string> _clauseStarters;
    private readonly FrozenSet<string> _firstPerson;
    private readonly TermSet _negationAfter;
    private readonly TermSet _breakerTerms;
    private readonly TermSet _idiom;
    private readonly TermSet _fiction;
    private readonly TermSet _thirdPerson;
    private readonly TermSet _reported;
    private readonly TermSet _past;
    private readonly TermSet _denial;
    private readonly TermSet _firstPersonTerms;
    private readonly FrozenSet<string> _subjectIntroducers;
    private readonly bool _segmented;

    public ConceptMatcher(ConceptRules rules)
    {
        _rules = rules;
        _words = rules.Mode == "words";
        _segmented = rules.Segmentation == "icu";
        if (_words && !Stemmers.Supports(rules.Language))
            throw new InvalidRecordException($"risk concepts '{rules.Language}'", ["word mode needs a stemmer for the language"]);
        var names = rules.Concepts.Keys.Order(StringComparer.Ordinal).ToArray();
        _concepts = [.. names.Select(n => (n, Compile(rules.Concepts[n])))];
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        _patterns = [.. rules.Patterns.Select(p => (p, p.All.Select(c => index[c]).ToArray()))];
        _negatorStems = rules.Negators.Select(n => _words ? Stem(Fold(n)) : Fold(n)).ToFrozenSet(StringComparer.Ordinal);
        _breakerWords = rules.ScopeBreakers.Select(Fold).ToFrozenSet(StringComparer.Ordinal);
        _clauseStarters = rules.ClauseStarters.Select(Fold).ToFrozenSet(StringComparer.Ordinal);
        _firstPerson = rules.FirstPerson.Select(Fold).ToFrozenSet(StringComparer.Ordinal);
        _negationAfter = Compile(rules.NegationAfter);
        _breakerTerms = Compile(rules.ScopeBreakers);
        _idiom = Compile(rules.Cancel.Idiom);
        _fiction = Compile(rules.Cancel.Fiction);
        _thirdPerson = Compile(rules.Cancel.ThirdPerson);
        _reported = Compile(rules.Cancel.ReportedSpeech);
        _past = Compile(rules.Cancel.Past);
        _denial = Compile(rules.Cancel.Denial);
        _firstPersonTerms = Compile(rules.FirstPerson);
        _subjectIntroducers = rules.SubjectIntroducers.Select(Fold).ToFrozenSet(StringComparer.Ordinal);
    }

    public string Language => _rules.Language;

    /// <summary>Whether the rules read Latin-script words (English, Dutch) rather than folded characters.</summary>
    public bool ReadsWords => _words;

    /// <summary>Every pattern that fired, cancelled or not, in folded-text positions.</summary>
    public List<ConceptHit> Find(MessageAnalysis m)
    {
        var result = new List<ConceptHit>();
        // Rules for one script have nothing to read in the other: most messages are in one script only.
        if (_words ? m.Tokens.Count == 0 : !m.HasNonLatinLetters) return result;
        var ctx = new Context(m, _words ? m.Stems(_rules.Language) : [], _words ? m.Clauses(_clauseStarters) : []);
        // Hits per concept, found lazily: most messages have none of the first concept a pattern needs.
        var hits = new List<Span>?[_concepts.Length];
        List<Span> HitsOf(int c) => hits[c] ??= FindAll(ctx, _concepts[c].Terms);

        foreach (var (pattern, concepts) in _patterns)
        {
            var first = HitsOf(concepts[0]);
            if (first.Count == 0) continue;
            for (var sentence = 0; sentence < m.SentenceCount; sentence++)
            {
                var chosen = new Span[concepts.Length];
                var all = true;
                for (var k = 0; k < concepts.Length && all; k++)
                {
                    var inSentence = HitsOf(concepts[k]).FirstOrDefault(h => h.Sentence == sentence && !SameWords(h, chosen, k));
                    if (inSentence.End == 0) all = false;
                    else chosen[k] = inSentence;
                }
                if (!all) continue;
                var start = chosen.Min(h => h.Start);
                var end = chosen.Max(h => h.End);
                var (reason, cue) = Cancellation(ctx, chosen);
                result.Add(new ConceptHit(pattern, _rules.Language, start, end, reason, cue));
            }
        }
        return result;
    }

    /// <summary>The reason and cue that cancel a lexicon hit by this language's rules (after the lexicon's own negation).</summary>
    public (string? Reason, string? Cue) CancellationOf(MessageAnalysis m, int start, int end)
    {
        var ctx = new Context(m, _words ? m.Stems(_rules.Language) : [], _words ? m.Clauses(_clauseStarters) : []);
        var span = SpanOf(ctx, start, end);
        return Cancellation(ctx, [span]);
    }

    /// <summary>Two concepts of a pattern may not be read from the same words (gapped terms may still overlap).</summary>
    private static bool SameWords(Span h, Span[] chosen, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (h.Start == chosen[i].Start) return true;
        }
        return false;
    }

    private (string? Reason, string? Cue) Cancellation(Context ctx, Span[] hits)
    {
        foreach (var h in hits)
        {
            if (Negation(ctx, h, hits) is { } cue) return ("negation", cue);
        }
        return ContextCancellation(ctx, hits);
    }

    /// <summary>Cancellations other than negation, in the order a counselor would read them.</summary>
    private (string? Reason, string? Cue) ContextCancellation(Context ctx, Span[] hits)
    {
        var m = ctx.M;
        var sentence = hits[0].Sentence;
        var start = hits.Min(h => h.Start);
        var end = hits.Max(h => h.End);
        foreach (var idiom in FindAll(ctx, _idiom))
        {
            if (idiom.Start < end && start < idiom.End) return ("idiom", m.Text[idiom.Start..idiom.End]);
        }
        if (Quoted(m.Text, start, end) is { } quote) return ("quotation", quote);
        if (FirstIn(ctx, _fiction, sentence) is { } fiction) return ("game or fiction", fiction);
        if (FirstIn(ctx, _reported, sentence) is { } reported) return ("reported speech", reported);
        if (ThirdPerson(ctx, hits) is { } other) return ("someone else", other);
        if (FirstIn(ctx, _past, sentence) is { } past && FirstIn(ctx, _denial, null) is { } denial)
            return ("past, now denied", $"{past} … {denial}");
        return (null, null);
    }

    /// <summary>Someone else is the subject of the hit's clause and the client does not speak of themself there.</summary>
    private string? ThirdPerson(Context ctx, Span[] hits)
    {
        var m = ctx.M;
        if (_words)
        {
            var clauses = hits.Select(h => ctx.TokenClause[h.FirstUnit]).ToHashSet();
            var sentence = hits[0].Sentence;
            for (var i = 0; i < m.Tokens.Count; i++)
            {
                if (clauses.Contains(ctx.TokenClause[i]) && _firstPerson.Contains(m.Tokens[i].Word)) return null;
            }
            foreach (var cue in FindAll(ctx, _thirdPerson))
            {
                // Only as a subject: at the start of its clause or after a reporting verb ("said he", "tell my mum" is not).
                var subject = cue.FirstUnit == 0 || ctx.TokenClause[cue.FirstUnit - 1] != ctx.TokenClause[cue.FirstUnit]
                    || _subjectIntroducers.Contains(m.Tokens[cue.FirstUnit - 1].Word);
                if (subject && cue.Sentence == sentence && clauses.Contains(ctx.TokenClause[cue.FirstUnit])) return m.Text[cue.Start..cue.End];
            }
            return null;
        }
        var s = hits[0].Sentence;
        if (FindAll(ctx, _firstPersonTerms).Any(h => h.Sentence == s)) return null;
        return FirstIn(ctx, _thirdPerson, s);
    }

    private string? FirstIn(Context ctx, TermSet terms, int? sentence)
    {
        if (terms.IsEmpty) return null;
        foreach (var h in FindAll(ctx, terms))
        {
            if (sentence is null || h.Sentence == sentence) return ctx.M.Text[h.Start..h.End];
        }
        return null;
    }

    private static string? Quoted(string s, int start, int end)
    {
        foreach (var (open, close) in new[] { ('"', '"'), ('\u201c', '\u201d'), ('\u300c', '\u300d'), ('\u300e', '\u300f') })
        {
            var o = s.LastIndexOf(open, Math.Max(0, start - 1));
            if (o < 0 || o >= start) continue;
            var c = s.IndexOf(close, o + 1);
            if (c >= end) return s[o..(c + 1)];
        }
        return null;
    }

    /// <summary>A negator before the hit in its clause (not inside one of the pattern's own terms), or a cue after it.</summary>
    private string? Negation(Context ctx, Span hit, Span[] all)
    {
        var m = ctx.M;
        if (_words)
        {
            var clause = ctx.TokenClause[hit.FirstUnit];
            if (hit.GapNegator >= 0) return m.Tokens[hit.GapNegator].Word;
            var seen = 0;
            for (var i = hit.FirstUnit - 1; i >= 0 && seen < _rules.NegationWindow; i--)
            {
                if (ctx.TokenClause[i] != clause) break;
                var word = m.Tokens[i].Word;
                if (_breakerWords.Contains(word)) break;
                if (all.Any(h => i >= h.FirstUnit && i < h.EndUnit)) continue;
                seen++;
                if (_negatorStems.Contains(ctx.Stems[i])) return word;
            }
            foreach (var after in FindAll(ctx, _negationAfter))
            {
                if (after.FirstUnit >= hit.EndUnit && after.FirstUnit - hit.EndUnit <= 1 && ctx.TokenClause[after.FirstUnit] == clause)
                    return m.Text[after.Start..after.End];
            }
            return null;
        }
        // Japanese negates after the predicate: a cue soon after the hit, before a clause mark or a breaker.
        var s = m.Text;
        var limit = Math.Min(s.Length, hit.End + _rules.NegationWindow);
        for (var p = hit.End; p < limit; p++)
        {
            if (MessageAnalysis.IsSentenceEnd(s[p]) || MessageAnalysis.IsClauseMark(s[p])) return null;
            if (all.Any(h => p >= h.Start && p < h.End)) continue;
            foreach (var b in _breakerTerms.StartingWithChar(s[p]))
            {
                if (MatchChars(ctx, b, p) > 0) return null;
            }
            foreach (var cue in _negationAfter.StartingWithChar(s[p]))
            {
                var e = MatchChars(ctx, cue, p);
                if (e > 0) return s[p..e];
            }
        }
        return null;
    }

    private Span SpanOf(Context ctx, int start, int end)
    {
        var m = ctx.M;
        if (!_words) return new Span(start, end, m.Sentence[start], start, end, -1);
        var first = m.Tokens.FindIndex(t => t.End > start);
        var last = m.Tokens.FindLastIndex(t => t.Start < end);
        if (first < 0) first = 0;
        if (last < first) last = first;
        return new Span(start, end, m.Sentence[start], first, last + 1, -1);
    }

    // ---------------- term matching ----------------

    private List<Span> FindAll(Context ctx, TermSet terms)
    {
        var result = new List<Span>();
        if (terms.IsEmpty) return result;
        var m = ctx.M;
        if (_words)
        {
            for (var i = 0; i < m.Tokens.Count; i++)
            {
                foreach (var term in terms.StartingWithWord(m.Tokens[i].Word, ctx.Stems[i]))
                {
                    var end = MatchWords(ctx, term, 0, i);
                    if (end > 0)
                    {
                        result.Add(new Span(m.Tokens[i].Start, m.Tokens[end - 1].End, m.Tokens[i].Sentence, i, end, GapNegator(ctx, term, i, end)));
                        break;
                    }
                }
            }
            return result;
        }
        for (var p = 0; p < m.Text.Length; p++)
        {
            foreach (var term in terms.StartingWithChar(m.Text[p]))
            {
                var end = MatchChars(ctx, term, p);
                if (end > 0)
                {
                    result.Add(new Span(p, end, m.Sentence[p], p, end, -1));
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>A negator inside the span that none of the term's own words accounts for: it sat in a gap ("mezelf nooit van kant").</summary>
    private int GapNegator(Context ctx, CompiledTerm term, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!_negatorStems.Contains(ctx.Stems[i])) continue;
            var word = ctx.M.Tokens[i].Word;
            if (!term.Elements.Any(e => e.Words.Any(a => a.Any(w => w.Matches(word, ctx.Stems[i]))))) return i;
        }
        return -1;
    }

    /// <summary>Token index after the term when element <paramref name="e"/> onwards matches from token <paramref name="i"/>; 0 if not.</summary>
    private int MatchWords(Context ctx, CompiledTerm term, int e, int i)
    {
        var tokens = ctx.M.Tokens;
        if (i >= tokens.Count) return 0;
        var after = term.Elements[e].MatchWords(tokens, ctx.Stems, i);
        if (after == 0) return 0;
        if (e + 1 == term.Elements.Length) return after;
        var next = term.Elements[e + 1];
        var maxSkip = next.GapBefore ? _rules.MaxGapWords : 0;
        for (var j = after; j <= after + maxSkip && j < tokens.Count; j++)
        {
            if (tokens[j].Sentence != tokens[i].Sentence) break;
            var end = MatchWords(ctx, term, e + 1, j);
            if (end > 0) return end;
        }
        return 0;
    }

    /// <summary>Folded-text index after the term when it matches at <paramref name="p"/>; 0 if not.</summary>
    private int MatchChars(Context ctx, CompiledTerm term, int p)
    {
        var s = ctx.M.Text;
        var pos = p;
        for (var e = 0; e < term.Elements.Length; e++)
        {
            var element = term.Elements[e];
            var found = -1;
            var maxSkip = !element.GapBefore ? 0 : _segmented ? s.Length : _rules.MaxGapChars;
            var words = 0;
            for (var q = pos; q <= pos + maxSkip && q < s.Length; q++)
            {
                if (q > pos && MessageAnalysis.IsSentenceEnd(s[q - 1])) break;
                // Segmented text: the gap may hold up to MaxGapWords whole words, however long they are.
                if (_segmented && q > pos && ctx.M.WordStarts[q] && ++words > _rules.MaxGapWords) break;
                var len = element.MatchAt(s, q);
                if (len > 0)
                {
                    found = q + len;
                    break;
                }
            }
            if (found < 0) return 0;
            pos = found;
        }
        return pos;
    }

    private TermSet Compile(IEnumerable<string> terms) => new(_rules.Language, [.. terms.Select(CompileTerm)]);

    private CompiledTerm CompileTerm(string term)
    {
        var elements = new List<Element>();
        var gap = false;
        foreach (var raw in term.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "...")
            {
                gap = true;
                continue;
            }
            var alternatives = raw.Split('|', StringSplitOptions.RemoveEmptyEntries);
            if (_words)
            {
                // "do_not" is an alternative of two words in a row.
                elements.Add(new Element(gap, [.. alternatives.Select(a => a.Split('_', StringSplitOptions.RemoveEmptyEntries)
                    .Select(w => w.EndsWith('*') ? new WordTest(null, Fold(w[..^1])) : new WordTest(Stem(Fold(w)), null)).ToArray())
                    .OrderByDescending(a => a.Length)], []));
            }
            else
            {
                elements.Add(new Element(gap, [], [.. alternatives.Select(a => Fold(a.Replace('_', ' '))).OrderByDescending(a => a.Length)]));
            }
            gap = false;
        }
        if (elements.Count == 0 || elements[0].GapBefore)
            throw new InvalidRecordException($"risk concepts '{_rules.Language}'", [$"term '{term}' is empty or starts with a gap"]);
        return new CompiledTerm(term, [.. elements]);
    }

    private string Stem(string folded) => Stemmers.Stem(_rules.Language, folded);

    private static string Fold(string s) => TextNormalizer.NormalizeTerm(s);

    private sealed record Context(MessageAnalysis M, string[] Stems, int[] TokenClause);

    private sealed record CompiledTerm(string Source, Element[] Elements);

    private sealed record WordTest(string? Stem, string? Prefix)
    {
        public bool Matches(string word, string stem) => Stem is not null ? Stem == stem : word.StartsWith(Prefix!, StringComparison.Ordinal);
    }

    private sealed record Element(bool GapBefore, WordTest[][] Words, string[] Texts)
    {
        /// <summary>Token index after the longest alternative matching at token <paramref name="i"/>; 0 if none.</summary>
        public int MatchWords(List<MessageAnalysis.Token> tokens, string[] stems, int i)
        {
            foreach (var alternative in Words)
            {
                if (i + alternative.Length > tokens.Count) continue;
                var ok = true;
                for (var k = 0; k < alternative.Length && ok; k++)
                {
                    ok = tokens[i + k].Sentence == tokens[i].Sentence && alternative[k].Matches(tokens[i + k].Word, stems[i + k]);
                }
                if (ok) return i + alternative.Length;
            }
            return 0;
        }

        public int MatchAt(string s, int p)
        {
            foreach (var t in Texts)
            {
                if (p + t.Length <= s.Length && string.CompareOrdinal(s, p, t, 0, t.Length) == 0) return t.Length;
            }
            return 0;
        }
    }

    /// <summary>A match in folded text: characters [Start, End), its sentence, its units (tokens or characters), and a negator token found in one of its gaps (-1 if none).</summary>
    internal readonly record struct Span(int Start, int End, int Sentence, int FirstUnit, int EndUnit, int GapNegator);
}

/// <summary>A concept pattern that fired, in folded-text positions; <see cref="Reason"/> set when it is cancelled.</summary>
internal sealed record ConceptHit(ConceptPattern Pattern, string Language, int Start, int End, string? Reason, string? Cue);
