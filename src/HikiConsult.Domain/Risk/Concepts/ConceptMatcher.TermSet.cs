using System.Collections.Frozen;

namespace HikiConsult.Domain.Risk.Concepts;

internal sealed partial class ConceptMatcher
{
    /// <summary>
    /// A list of compiled terms with an index by what a match must start with (the first word's stem, or the first
    /// folded character), so that a position is tried only against the terms that can start there. The candidates
    /// keep the list's order, so the first term that matches is the same as in a scan of the whole list.
    /// </summary>
    private sealed class TermSet
    {
        private readonly FrozenDictionary<string, CompiledTerm[]> _byFirstStem;
        private readonly FrozenDictionary<char, CompiledTerm[]> _byFirstChar;

        // Terms that can start anywhere: a prefix test ("kill*") or an empty text as their first alternative.
        private readonly CompiledTerm[] _anywhere;

        public TermSet(CompiledTerm[] all)
        {
            All = all;
            var anywhere = new List<int>();
            var byStem = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byChar = new Dictionary<char, List<int>>();
            for (var t = 0; t < all.Length; t++)
            {
                var first = all[t].Elements[0];
                var keys = 0;
                foreach (var alternative in first.Words)
                {
                    if (alternative[0].Stem is { } stem) Add(byStem, stem, t);
                    else anywhere.Add(t);
                    keys++;
                }
                foreach (var text in first.Texts)
                {
                    if (text.Length > 0) Add(byChar, text[0], t);
                    else anywhere.Add(t);
                    keys++;
                }
                if (keys == 0) anywhere.Add(t);
            }
            _anywhere = Terms(anywhere);
            _byFirstStem = byStem.ToFrozenDictionary(e => e.Key, e => Terms(e.Value.Concat(anywhere)), StringComparer.Ordinal);
            _byFirstChar = byChar.ToFrozenDictionary(e => e.Key, e => Terms(e.Value.Concat(anywhere)));

            CompiledTerm[] Terms(IEnumerable<int> indices) => [.. indices.Distinct().Order().Select(i => all[i])];
        }

        public CompiledTerm[] All { get; }

        public bool IsEmpty => All.Length == 0;

        /// <summary>The terms, in list order, whose first word can be a word with this stem.</summary>
        public CompiledTerm[] StartingWithStem(string stem) => _byFirstStem.GetValueOrDefault(stem, _anywhere);

        /// <summary>The terms, in list order, whose first text can start with this character.</summary>
        public CompiledTerm[] StartingWithChar(char c) => _byFirstChar.GetValueOrDefault(c, _anywhere);

        private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int term) where TKey : notnull
        {
            if (!index.TryGetValue(key, out var terms)) index[key] = terms = [];
            terms.Add(term);
        }
    }
}
