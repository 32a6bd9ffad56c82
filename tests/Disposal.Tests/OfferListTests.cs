using System.Diagnostics;
using System.Text;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Infrastructure.Xdomea;

namespace ECase.Disposal.Tests;

/// <summary>The 0501 offer: valid against the official schemas in both versions, object IDs are the stream ids.</summary>
public sealed class OfferListTests
{
    private static readonly Guid ProcessId = Guid.Parse("0b9f6f0e-8d35-4e0a-9b0c-2b4f3c1d5e77");

    private static readonly OfferedFile Garage = new(
        Guid.Parse("01a227fb-6b69-777a-81fa-cb146bf49f64"), "HA-32.10.05-0007/2016", "Neubau Garage, Birkenweg 4 & Söhne <GmbH>", "32.10.05", "Bauanträge",
        Confidentiality.Restricted, 10, DisposalProposal.Appraise, new DateOnly(2016, 3, 1), new DateOnly(2016, 9, 30), new DateOnly(2026, 12, 31),
        [
            new(Guid.Parse("01a227fb-6c2b-7904-9eec-ff3a56a6bc5f"), "Bauantrag", new DateOnly(2016, 3, 1), new DateOnly(2016, 8, 1)),
            new(Guid.Parse("01a227fb-6c2b-7904-9eec-ff3a56a6bc60"), "Widerspruch", new DateOnly(2016, 8, 2), new DateOnly(2016, 9, 30)),
        ]);

    private static readonly OfferedFile Unlimited = Garage with
    {
        Id = Guid.Parse("01a227fb-6b69-777a-81fa-cb146bf49f65"),
        Reference = "HA-10.01.01-0001/2015",
        RetentionYears = null,
        Cases = [],
        Disposal = DisposalProposal.Archive,
        Confidentiality = Confidentiality.Open,
    };

    private static string Xml(XdomeaVersion version)
    {
        var message = OfferList.Write(ProcessId, new XdomeaParty("Stadt Musterstadt", "Hauptamt"), new XdomeaParty("Stadtarchiv Musterstadt"),
            new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), [Garage, Unlimited], version);
        return message.Declaration + "\n" + message.Root;
    }

    [Theory]
    [InlineData(XdomeaVersion.V3_1_0)]
    [InlineData(XdomeaVersion.V3_0_0)]
    public void The_offer_is_valid_against_the_official_schema_in_NET_and_xmllint(XdomeaVersion version)
    {
        var xml = Xml(version);
        var result = XdomeaSchemas.Read(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(xml)));
        Assert.True(result.Ok, string.Join("\n", result.Problems.Select(p => $"{p.Line}:{p.Position} {p.Message}")));
        Assert.Equal(OfferList.MessageType, result.MessageType);

        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{ProcessId}_{OfferList.MessageType}-{Guid.NewGuid():N}.xml");
        System.IO.File.WriteAllText(file, xml);
        try
        {
            var schema = System.IO.Path.Combine(XdomeaSchemas.Folder, XdomeaSchemas.VersionNumber(version), "xdomea-Nachrichten-AussonderungDurchfuehren.xsd");
            var start = new ProcessStartInfo("xmllint") { RedirectStandardError = true, RedirectStandardOutput = true, ArgumentList = { "--noout", "--schema", schema, file } };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void Objects_carry_their_stream_ids_reference_plan_unit_retention_and_codes()
    {
        var doc = XdomeaSchemas.Read(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(Xml(XdomeaVersion.V3_1_0)))).Document!;
        var x = XdomeaSchemas.Namespace(XdomeaVersion.V3_1_0);
        var akten = doc.Descendants(x + "Akte").ToList();
        Assert.Equal([Garage.Id.ToString(), Unlimited.Id.ToString()], akten.Select(a => a.Element(x + "Identifikation")!.Element(x + "ID")!.Value));

        var garage = akten[0];
        Assert.Equal("HA-32.10.05-0007/2016", garage.Descendants(x + "Kennzeichen").First().Value);
        Assert.Equal("Neubau Garage, Birkenweg 4 & Söhne <GmbH>", garage.Element(x + "AllgemeineMetadaten")!.Element(x + "Betreff")!.Value);
        Assert.Equal("002", garage.Descendants(x + "Vertraulichkeitsstufe").Single().Element("code")!.Value);
        Assert.Equal("10", garage.Descendants(x + "AnzahlJahre").Single().Value);
        Assert.Equal("B", garage.Descendants(x + "Aussonderungsart").Last().Element("code")!.Value);
        Assert.Equal("2026-12-31", garage.Descendants(x + "Aufbewahrungsende").Single().Value);
        Assert.Equal(Garage.Cases.Select(c => c.Id.ToString()), garage.Descendants(x + "Vorgang").Select(v => v.Element(x + "Identifikation")!.Element(x + "ID")!.Value));

        Assert.Equal("1", akten[1].Descendants(x + "Unbefristet").Single().Value);
        Assert.Empty(akten[1].Descendants(x + "Vorgang"));
        Assert.Equal(XdomeaSchemas.Prefix, doc.Root!.GetPrefixOfNamespace(x));
        Assert.Equal("true", doc.Root.Element(x + "Kopf")!.Element(x + "Empfangsbestaetigung")!.Value);
    }

    [Fact]
    public void An_empty_offer_is_refused() =>
        Assert.Throws<ArgumentException>(() => OfferList.Write(ProcessId, new("A"), new("B"), DateTimeOffset.UnixEpoch, []));
}
