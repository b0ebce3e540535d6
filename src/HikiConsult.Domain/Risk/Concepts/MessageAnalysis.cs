namespace HikiConsult.Domain.Risk.Concepts;

/// <summary>
/// A folded message split once into sentences, clauses and Latin-script words, shared by every language's rules.
/// Stems are computed per language on first use.
/// </summary>
internal sealed class MessageAnalysis
{
    public MessageAnalysis(NormalizedText normalized)
    {
        Normalized = normalized;
        Text = normalized.Text;
        var s = Text;
        Sentence = new int[s.Length];
        Clause = new int[s.Length];
        var tokens = new List<Token>();
        int sentence = 0, clause = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (IsSentenceEnd(c))
            {
                Sentence[i] = sentence;
                Clause[i] = clause;
                sentence++;
                clause++;
                continue;
            }
            if (IsClauseMark(c)) clause++;
            if (c >= '\u0250' && char.IsLetter(c)) HasNonLatinLetters = true;
            Sentence[i] = sentence;
            Clause[i] = clause;
            if (RiskDetector.IsWordStart(s, i))
            {
                var e = i;
                while (e < s.Length && RiskDetector.IsLatinWordAt(s, e)) e++;
                tokens.Add(new Token(s[i..e], i, e, sentence, clause));
            }
        }
        // A fragment of one to three words ("I'm done.", "on living too") belongs to the sentence before it.
        var merged = new int[sentence + 1];
        for (var k = 1; k <= sentence; k++)
        {
            var words = tokens.Count(t => t.Sentence == k);
            merged[k] = words is > 0 and < 4 ? merged[k - 1] : k;
        }
        for (var i = 0; i < s.Length; i++) Sentence[i] = merged[Sentence[i]];
        Tokens = [.. tokens.Select(t => t with { Sentence = merged[t.Sentence] })];
        SentenceCount = sentence + 1;
    }

    public NormalizedText Normalized { get; }

    /// <summary>Whether any letter outside the Latin script occurs (kana, kanji...): only then do character rules run.</summary>
    public bool HasNonLatinLetters { get; }
    public string Text { get; }

    /// <summary>Sentence and clause index of each folded character.</summary>
    public int[] Sentence { get; }
    public int[] Clause { get; }
    public int SentenceCount { get; }
    public List<Token> Tokens { get; }

    private readonly Dictionary<string, string[]> _stems = new(StringComparer.Ordinal);
    private bool[]? _wordStarts;

    /// <summary>Japanese word starts in the folded text (ICU dictionary segmentation), computed on first use.</summary>
    public bool[] WordStarts => _wordStarts ??= JapaneseSegmenter.WordStarts(Text);

    public string[] Stems(string language)
    {
        if (_stems.TryGetValue(language, out var stems)) return stems;
        stems = new string[Tokens.Count];
        for (var i = 0; i < stems.Length; i++) stems[i] = Stemmers.Stem(language, Tokens[i].Word);
        _stems[language] = stems;
        return stems;
    }

    /// <summary>Clause of a token, moved on by conjunctions: a language's clause starters begin a new clause.</summary>
    public int[] Clauses(IReadOnlySet<string> starters)
    {
        var result = new int[Tokens.Count];
        var bump = 0;
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (starters.Contains(Tokens[i].Word)) bump++;
            result[i] = Tokens[i].Clause * 1000 + bump;
        }
        return result;
    }

    internal static bool IsSentenceEnd(char c) => c is '.' or '!' or '?' or ';' or '\n' or '\u3002' or '\uff01' or '\uff1f' or '\u2026';

    internal static bool IsClauseMark(char c) => c is ',' or ':' or '\u3001' or '(' or ')' or '\u300c' or '\u300d';

    internal sealed record Token(string Word, int Start, int End, int Sentence, int Clause);
}
