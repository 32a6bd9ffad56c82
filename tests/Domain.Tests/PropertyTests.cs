using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

/// <summary>Cheap property-style checks over generated values; a fixed seed keeps them reproducible.</summary>
public sealed class PropertyTests
{
    private const int Seed = 20260314;
    private const int Runs = 500;
    private const string OrgChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string NameChars = "abcdefghijklmnopqrstuvwxyzÄÖÜäöüß0123456789 -_().,+#";

    private static string Pick(Random rnd, string alphabet, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[rnd.Next(alphabet.Length)])]);

    private static string OrgUnit(Random rnd) => Pick(rnd, OrgChars, rnd.Next(1, 11));

    private static string PlanCode(Random rnd) =>
        string.Join('.', Enumerable.Range(0, rnd.Next(1, 7)).Select(_ => Pick(rnd, "0123456789", rnd.Next(1, 5))));

    private static FileReference Reference(Random rnd) =>
        new(OrgUnit(rnd), PlanCode(rnd), rnd.Next(0, 4) == 0 ? rnd.Next(0, 10_000) : rnd.Next(), rnd.Next(1000, 10_000));

    [Fact]
    public void Every_well_formed_reference_survives_formatting_and_parsing()
    {
        var rnd = new Random(Seed);
        for (var i = 0; i < Runs; i++)
        {
            var reference = Reference(rnd);
            var text = reference.ToString();

            Assert.True(FileReference.TryParse(text, out var parsed), text);
            Assert.Equal(reference, parsed);
            Assert.Equal(text, parsed!.ToString());
        }
    }

    [Fact]
    public void Org_units_and_plan_codes_valid_for_files_and_plans_always_make_parseable_references()
    {
        var rnd = new Random(Seed + 1);
        for (var i = 0; i < Runs; i++)
        {
            var org = OrgUnit(rnd);
            var code = PlanCode(rnd);
            Assert.True(FileDecider.IsValidOrgUnit(org), org);
            Assert.True(FilePlanDecider.IsValidCode(code), code);
            Assert.True(FileReference.TryParse(new FileReference(org, code, rnd.Next(), 2026).ToString(), out _));
        }
    }

    [Fact]
    public void Truncating_the_number_or_year_of_a_reference_makes_it_unparseable()
    {
        var rnd = new Random(Seed + 2);
        for (var i = 0; i < Runs; i++)
        {
            var text = Reference(rnd).ToString();
            var cut = text[..^rnd.Next(1, 4)]; // drops 1-3 digits of the year

            Assert.False(FileReference.TryParse(cut, out _), cut);
        }
    }

    [Fact]
    public void A_plain_name_with_any_path_separator_or_control_character_inserted_is_rejected()
    {
        var rnd = new Random(Seed + 3);
        var forbidden = new[] { '/', '\\', ':', '\0', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085' };
        for (var i = 0; i < Runs; i++)
        {
            var name = "d" + Pick(rnd, NameChars.Replace(".", "", StringComparison.Ordinal), rnd.Next(0, 200)) + ".pdf";
            Assert.True(ContentRef.IsPlainFileName(name), name);

            var bad = name.Insert(rnd.Next(0, name.Length + 1), forbidden[rnd.Next(forbidden.Length)].ToString());
            Assert.False(ContentRef.IsPlainFileName(bad), bad);
            Assert.Equal(ContentRef.InvalidFileName, (Content(i) with { FileName = bad }).Validate());
        }
    }

    [Fact]
    public void Titles_are_valid_up_to_500_characters_and_invalid_with_any_control_character()
    {
        var rnd = new Random(Seed + 4);
        for (var i = 0; i < Runs; i++)
        {
            var title = "T" + Pick(rnd, NameChars, rnd.Next(0, 500));
            Assert.Null(Text.ValidateTitle(title, "title"));

            var control = (char)(rnd.Next(0, 2) == 0 ? rnd.Next(0, 0x20) : rnd.Next(0x7f, 0xa0));
            var bad = title.Insert(rnd.Next(1, title.Length + 1), control.ToString());
            var expected = bad.Length > Text.MaxTitleLength ? "title-too-long" : "title-invalid";
            Assert.Equal(expected, Text.ValidateTitle(bad, "title")?.Code);
        }
    }

    [Fact]
    public void The_next_version_is_always_one_more_than_the_versions_so_far()
    {
        var rnd = new Random(Seed + 5);
        for (var run = 0; run < 50; run++)
        {
            var docId = Id(1001);
            var state = Case.Evolve(null, new CaseOpened(Id(101), Id(10), "Vorgang", "HA", Clerk, Now));
            state = Case.Evolve(state, new DocumentAdded(Id(101), docId, "Anlage", null, Content(0), Clerk, Now));
            var count = rnd.Next(1, 30);
            for (var v = 2; v <= count + 1; v++)
            {
                var events = CaseDecider.Decide(state, new CaseCommand.AddDocumentVersion(docId, Content(v)), Ctx).EventsOrThrow();
                var added = Assert.IsType<DocumentVersionAdded>(Assert.Single(events));
                Assert.Equal(v, added.Version);
                state = Case.Evolve(state, added);
            }

            Assert.Equal(Enumerable.Range(1, count + 1), state!.Documents[docId].Versions.Select(x => x.Number));
        }
    }

    [Fact]
    public void A_submission_of_n_documents_yields_n_documents_in_the_order_given()
    {
        var rnd = new Random(Seed + 6);
        var opened = Case.Evolve(null, new CaseOpened(Id(101), Id(10), "Vorgang", "HA", Clerk, Now));
        for (var run = 0; run < 50; run++)
        {
            var docs = Enumerable.Range(1, 500).OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 101))
                .Select(n => new NewDocument(Id(1000 + n), $"Anlage {n}", Content(n))).ToList();

            var events = CaseDecider.Decide(
                opened, new CaseCommand.RegisterSubmission(Id(200), SubmissionChannel.OnlineForm, null, Now, "Antrag", docs), Ctx).EventsOrThrow();

            var received = Assert.IsType<SubmissionReceived>(events[0]);
            Assert.Equal(docs.Select(d => d.DocumentId), received.DocumentIds);
            Assert.Equal(docs.Select(d => d.DocumentId), events.Skip(1).Cast<DocumentAdded>().Select(e => e.DocumentId));
        }
    }
}
