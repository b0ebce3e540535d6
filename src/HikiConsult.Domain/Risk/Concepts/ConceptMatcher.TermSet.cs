using System.Collections.Frozen;

namespace HikiConsult.Domain.Risk.Concepts;

internal sealed partial class ConceptMatcher
{
    /// <summary>
    /// A list of compiled terms with an index by what a match must start with: the first word's stem, the first
    /// letter of a first word given as a prefix ("kill*"), or the first folded character. A position is tried only
    /// against the terms that can start there, in the list's order, so the first term that matches is the same as in
    /// a scan of the whole list.
    /// </summary>
    private sealed class TermSet
    {
        private readonly FrozenDictionary<string, Entry[]> _byFirstStem;
        private readonly FrozenDictionary<char, Entry[]> _byPrefixLetter;
        private readonly FrozenDictionary<char, Entry[]> _byFirstChar;

        public TermSet(string language, CompiledTerm[] all)
        {
            All = all;
            var byStem = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
            var byPrefix = new Dictionary<char, List<Entry>>();
            var byChar = new Dictionary<char, List<Entry>>();
            for (var t = 0; t < all.Length; t++)
            {
                var entry = new Entry(t, all[t]);
                var first = all[t].Elements[0];
                foreach (var alternative in first.Words)
                {
                    if (alternative[0].Stem is { } stem) Add(byStem, stem, entry);
                    else Add(byPrefix, NonEmpty(alternative[0].Prefix!, all[t])[0], entry);
                }
                foreach (var text in first.Texts)
                {
                    Add(byChar, NonEmpty(text, all[t])[0], entry);
                }
            }
            _byFirstStem = byStem.ToFrozenDictionary(e => e.Key, e => Ordered(e.Value), StringComparer.Ordinal);
            _byPrefixLetter = byPrefix.ToFrozenDictionary(e => e.Key, e => Ordered(e.Value));
            _byFirstChar = byChar.ToFrozenDictionary(e => e.Key, e => Ordered(e.Value));

            string NonEmpty(string start, CompiledTerm term) => start.Length > 0 ? start
                : throw new InvalidRecordException($"risk concepts '{language}'", [$"term '{term.Source}' starts with an empty word"]);

            static Entry[] Ordered(List<Entry> entries) => [.. entries.DistinctBy(e => e.Order).OrderBy(e => e.Order)];
        }

        public CompiledTerm[] All { get; }

        public bool IsEmpty => All.Length == 0;

        /// <summary>The terms that can start at a word with this text and stem, in list order.</summary>
        public Candidates StartingWithWord(string word, string stem) => new(
            _byFirstStem.TryGetValue(stem, out var byStem) ? byStem : [],
            word.Length > 0 && _byPrefixLetter.TryGetValue(word[0], out var byPrefix) ? byPrefix : []);

        /// <summary>The terms whose first text starts with this character, in list order.</summary>
        public Candidates StartingWithChar(char c) => new(_byFirstChar.TryGetValue(c, out var byChar) ? byChar : [], []);

        private static void Add<TKey>(Dictionary<TKey, List<Entry>> index, TKey key, Entry entry) where TKey : notnull
        {
            if (!index.TryGetValue(key, out var entries)) index[key] = entries = [];
            entries.Add(entry);
        }
    }

    private readonly record struct Entry(int Order, CompiledTerm Term);

    /// <summary>Two ordered candidate lists read as one, in list order, each term once.</summary>
    private readonly struct Candidates(Entry[] first, Entry[] second)
    {
        public Enumerator GetEnumerator() => new(first, second);

        public struct Enumerator(Entry[] first, Entry[] second)
        {
            private int _i;
            private int _j;

            public CompiledTerm Current { get; private set; } = null!;

            public bool MoveNext()
            {
                if (_i < first.Length && (_j >= second.Length || first[_i].Order <= second[_j].Order))
                {
                    if (_j < second.Length && first[_i].Order == second[_j].Order) _j++;
                    Current = first[_i++].Term;
                    return true;
                }
                if (_j < second.Length)
                {
                    Current = second[_j++].Term;
                    return true;
                }
                return false;
            }
        }
    }
}
