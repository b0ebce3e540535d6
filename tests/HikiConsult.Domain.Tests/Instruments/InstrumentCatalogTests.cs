using System.Text.Json.Nodes;
using HikiConsult.Domain.Instruments;

namespace HikiConsult.Domain.Tests.Instruments;

public sealed class InstrumentCatalogTests
{
    [Fact]
    public void Shipped_definitions_load_and_cover_every_instrument_of_the_issue()
    {
        var catalog = InstrumentCatalog.LoadShipped();

        Assert.Equal(InstrumentIds.Shipped.Order(), catalog.All.Select(d => d.Id).Order());
        foreach (var d in catalog.All)
        {
            Assert.True(d.DecisionSupport, d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Source.Citation), d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Source.Doi), d.Id);
            foreach (var item in d.Items)
            {
                Assert.All(new[] { "en", "ja", "nl" }, lang => Assert.False(string.IsNullOrWhiteSpace(item.Labels[lang])));
            }
        }
    }

    [Theory]
    [InlineData(InstrumentIds.Hq25, 25, 0, 4, 0, 100)]
    [InlineData(InstrumentIds.Hq25M, 25, 0, 4, 0, 100)]
    [InlineData(InstrumentIds.Phq9, 9, 0, 3, 0, 27)]
    [InlineData(InstrumentIds.Gad7, 7, 0, 3, 0, 21)]
    [InlineData(InstrumentIds.Lsns6, 6, 0, 5, 0, 30)]
    public void Item_counts_and_ranges_match_the_clinical_reference(string id, int items, int min, int max, int totalMin, int totalMax)
    {
        var d = InstrumentCatalog.LoadShipped().Get(id);

        Assert.Equal(items, d.Items.Count);
        Assert.Equal(min, d.Answers.Min);
        Assert.Equal(max, d.Answers.Max);
        Assert.Equal((totalMin, totalMax), d.TotalRange);
    }

    [Fact]
    public void Hq25_definition_has_the_published_reverse_items_cutoff_and_says_its_mapping_is_unconfirmed()
    {
        var d = InstrumentCatalog.LoadShipped().Get(InstrumentIds.Hq25);

        Assert.Equal([4, 7, 10, 15, 21, 25], d.ReverseItems);
        Assert.Equal(42, d.Cutoff!.Default);
        Assert.Contains(d.Cutoff.Published, p => p.Value == 44);
        Assert.Equal(["socialization", "isolation", "emotionalSupport"], d.Subscales.Select(s => s.Id));
        Assert.Equal(Enumerable.Range(1, 25), d.Subscales.SelectMany(s => s.Items).Order());
        Assert.Equal(MappingStatuses.Unconfirmed, d.MappingStatus);
        Assert.Equal("10.1111/pcn.12691", d.Source.Doi);
    }

    [Fact]
    public void Cssrs_definition_asks_items_3_to_5_only_after_a_yes_to_item_2()
    {
        var d = InstrumentCatalog.LoadShipped().Get(InstrumentIds.CssrsScreener);

        var rule = Assert.Single(d.SkipLogic);
        Assert.Equal([3, 4, 5], rule.Items);
        Assert.Equal(2, rule.AskedWhen.Item);
        Assert.Equal(["high", "moderate", "low", "none"], d.Levels.Select(l => l.Level));
    }

    [Fact]
    public void Override_directory_replaces_a_shipped_definition_and_adds_a_new_one()
    {
        using var dir = new TempDirectory();
        var phq9 = ShippedJson("phq9.json");
        phq9["items"]![0]!["labels"]!["en"] = "Clinic wording of item 1";
        dir.Write("phq9.json", phq9.ToJsonString());
        var extra = ShippedJson("gad7.json");
        extra["id"] = "gad2";
        extra["name"] = "GAD-2";
        var items = extra["items"]!.AsArray();
        while (items.Count > 2) items.RemoveAt(items.Count - 1);
        extra["bands"] = JsonNode.Parse("""[{"id":"negative","min":0,"max":2,"labels":{"en":"Negative","ja":"陰性","nl":"Negatief"}},{"id":"positive","min":3,"max":6,"labels":{"en":"Positive","ja":"陽性","nl":"Positief"}}]""");
        dir.Write("gad2.json", extra.ToJsonString());

        var catalog = InstrumentCatalog.Load(new InstrumentOptions { OverrideDirectory = dir.Path });

        Assert.Equal("Clinic wording of item 1", catalog.Get("phq9").Items[0].Labels["en"]);
        Assert.Equal(2, catalog.Get("gad2").Items.Count);
        Assert.Equal(7, catalog.Get("gad7").Items.Count);
        Assert.Equal(["gad2", "phq9"], catalog.Overridden.Order());
    }

    [Fact]
    public void An_invalid_override_file_fails_loading_and_names_the_file_and_the_problem()
    {
        using var dir = new TempDirectory();
        var phq9 = ShippedJson("phq9.json");
        phq9["reverseItems"] = JsonNode.Parse("[12]");
        phq9["answers"]!["labels"]!["nl"]!.AsArray().RemoveAt(0);
        var path = dir.Write("phq9.json", phq9.ToJsonString());

        var ex = Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(new InstrumentOptions { OverrideDirectory = dir.Path }));

        Assert.Equal(path, ex.Origin);
        Assert.Contains(ex.Problems, p => p.Contains("reverseItems names item 12"));
        Assert.Contains(ex.Problems, p => p.Contains("labels.nl has 3 labels for 4 values"));
    }

    [Fact]
    public void Definitions_with_gapped_bands_or_missing_decision_support_label_are_rejected()
    {
        var phq9 = ShippedJson("phq9.json");
        phq9["bands"]![1]!["min"] = 6;
        phq9["decisionSupport"] = false;

        var ex = Assert.Throws<InstrumentDefinitionException>(() => InstrumentJson.Parse(phq9.ToJsonString(), "test"));

        Assert.Contains(ex.Problems, p => p.Contains("band mild starts at 6; expected 5"));
        Assert.Contains(ex.Problems, p => p.Contains("decisionSupport must be true"));
    }

    [Fact]
    public void Unknown_fields_are_rejected_so_typos_in_a_clinic_file_do_not_pass_silently()
    {
        var phq9 = ShippedJson("phq9.json");
        phq9["reverseItem"] = JsonNode.Parse("[1]");

        Assert.Throws<InstrumentDefinitionException>(() => InstrumentJson.Parse(phq9.ToJsonString(), "test"));
    }

    [Fact]
    public void Configured_cutoffs_are_checked_against_the_catalog()
    {
        var catalog = InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["hq25"] = 44 } });
        Assert.Equal(44, catalog.ScoringOptions.CutoffFor(catalog.Get("hq25")));
        Assert.Equal(42, ScoringOptions.Default.CutoffFor(catalog.Get("hq25")));

        Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["hq25"] = 101 } }));
        Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["phq9"] = 10 } }));
        Assert.Throws<InstrumentDefinitionException>(() => InstrumentCatalog.Load(new InstrumentOptions { Cutoffs = { ["nope"] = 10 } }));
    }

    [Fact]
    public void Unknown_instrument_names_the_known_ones()
    {
        var ex = Assert.Throws<UnknownInstrumentException>(() => InstrumentCatalog.LoadShipped().Get("bdi"));
        Assert.Contains("phq9", ex.Message);
    }

    [Fact]
    public void Definition_files_are_copied_next_to_the_assembly_for_hosts_that_serve_them()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Instruments", "Definitions");
        Assert.Equal(InstrumentIds.Shipped.Select(id => id + ".json").Order(), Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_definition_round_trips_through_json()
    {
        var d = InstrumentCatalog.LoadShipped().Get(InstrumentIds.CssrsScreener);
        var again = InstrumentJson.Parse(InstrumentJson.Write(d), "round-trip");
        Assert.Equal(InstrumentJson.Write(d), InstrumentJson.Write(again));
    }

    private static JsonObject ShippedJson(string name) =>
        JsonNode.Parse(InstrumentCatalog.ReadShipped().Single(r => r.Name == name).Json)!.AsObject();
}
