using System.Reflection;
using System.Text.Json;
using HikiConsult.Domain.Research;
using HikiConsult.Domain.Triage;

namespace HikiConsult.Domain.Tests.Research;

public sealed class BiomarkerRecordTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private static BiomarkerRecord Valid(string analyte = "Ornithine") =>
        new(analyte, 92.5, " µmol/L ", BiologicalSex.Male, "LC-MS/MS", new DateOnly(2026, 11, 20));

    [Fact]
    public void The_setoyama_analytes_are_the_known_names()
    {
        Assert.Equal(["ornithine", "arginine", "bilirubin", "arginaseActivity", "longChainAcylcarnitines"], KnownAnalytes.All.Select(a => a.Id));
        Assert.Contains("both sexes", KnownAnalytes.Find("longchainacylcarnitines")!.Finding);
        Assert.Contains("in men", KnownAnalytes.Find("ORNITHINE")!.Finding);
    }

    [Fact]
    public void A_valid_record_is_normalised_for_storage()
    {
        var stored = BiomarkerRecords.Normalize(Valid(), Today);

        Assert.Equal("ornithine", stored.Analyte);
        Assert.Equal("µmol/L", stored.Unit);
    }

    [Fact]
    public void Every_problem_is_named()
    {
        var bad = new BiomarkerRecord("cortisol", double.NaN, "", (BiologicalSex)42, " ", new DateOnly(2027, 1, 1));

        var ex = Assert.Throws<InvalidRecordException>(() => BiomarkerRecords.Normalize(bad, Today));

        Assert.Equal(6, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("analyte 'cortisol' is not one of ornithine", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("in the future"));
        Assert.Contains("value must be 0 or more", Assert.Single(BiomarkerRecords.Validate(Valid() with { Value = -1 }, Today)));
    }

    [Fact]
    public void Records_are_shown_as_research_data_with_the_citation_and_the_caveat()
    {
        var shown = BiomarkerRecords.Present(BiomarkerRecords.Normalize(Valid("arginaseActivity"), Today));

        Assert.Equal("Research data, not diagnostic", shown.Label);
        Assert.Contains("10.1080/19585969.2022.2046978", shown.Source);
        Assert.Contains("not externally validated", shown.Caveat);
        Assert.Equal("Serum arginase activity", shown.AnalyteName);
    }

    [Fact]
    public void Records_round_trip_through_json()
    {
        var record = BiomarkerRecords.Normalize(Valid(), Today);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(record, options);

        Assert.Contains("\"sex\":\"male\"", json);
        Assert.Equal(record, JsonSerializer.Deserialize<BiomarkerRecord>(json, options));
    }

    /// <summary>
    /// Biomarkers are research data and never feed triage: nothing reachable from the triage inputs, weights or
    /// scorer refers to the research types (checked over every property, field and parameter, generics included).
    /// </summary>
    [Fact]
    public void Triage_has_no_biomarker_input()
    {
        var research = typeof(BiomarkerRecord).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(BiomarkerRecord).Namespace).ToHashSet();
        var triageTypes = typeof(TriageScorer).Assembly.GetTypes().Where(t => t.Namespace == typeof(TriageScorer).Namespace).ToArray();

        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(triageTypes);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (!seen.Add(type)) continue;
            Assert.DoesNotContain(type, research);
            if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType) continue;
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var referenced = type.GetProperties(all).Select(p => p.PropertyType)
                .Concat(type.GetFields(all).Select(f => f.FieldType))
                .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                .Concat(type.IsGenericType ? type.GetGenericArguments() : []);
            foreach (var t in referenced)
            {
                var element = t.IsArray || t.IsByRef ? t.GetElementType()! : t;
                if (!element.IsGenericParameter) queue.Enqueue(element);
            }
        }

        Assert.Contains(typeof(ClientTriageInputs), seen);
        Assert.DoesNotContain(typeof(ClientTriageInputs).GetProperties(), p =>
            p.Name.Contains("biomarker", StringComparison.OrdinalIgnoreCase) ||
            KnownAnalytes.All.Any(a => p.Name.Contains(a.Id, StringComparison.OrdinalIgnoreCase)));
    }
}
