using System.IO.Compression;
using System.Text;
using ECase.Infrastructure.Xdomea;

namespace ECase.Disposal.Tests;

/// <summary>What the archive sends back (0502 appraisal, 0506 import confirmation), as XML or in its ZIP container.</summary>
public sealed class ArchiveMessagesTests
{
    private static readonly Guid ProcessId = Guid.Parse("0b9f6f0e-8d35-4e0a-9b0c-2b4f3c1d5e77");
    private static readonly Guid FileA = Guid.Parse("01a227fb-6b69-777a-81fa-cb146bf49f64");
    private static readonly Guid FileV = Guid.Parse("01a227fb-6b69-777a-81fa-cb146bf49f65");
    private static readonly HashSet<Guid> Offered = [FileA, FileV];

    /// <summary>A 0502 as an archive writes it.</summary>
    public static string Appraisal(Guid process, string version = "3.1.0", params (Guid Id, string Code)[] objects) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <xdomea:Aussonderung.Bewertungsverzeichnis.0502 xmlns:xdomea="urn:xoev-de:xdomea:schema:{version}">
          <xdomea:Kopf>
            <xdomea:ProzessID>{process}</xdomea:ProzessID>
            <xdomea:Nachrichtentyp listURI="urn:xoev-de:xdomea:codeliste:nachrichtentyp" listVersionID="2.0"><code>0502</code></xdomea:Nachrichtentyp>
            <xdomea:Erstellungszeitpunkt>2026-12-01T09:00:00Z</xdomea:Erstellungszeitpunkt>
            <xdomea:Absender><xdomea:Institution><xdomea:Name>Stadtarchiv Musterstadt</xdomea:Name></xdomea:Institution></xdomea:Absender>
            <xdomea:Empfaenger><xdomea:Institution><xdomea:Name>Stadt Musterstadt</xdomea:Name></xdomea:Institution></xdomea:Empfaenger>
            <xdomea:Empfangsbestaetigung>true</xdomea:Empfangsbestaetigung>
          </xdomea:Kopf>
        {string.Concat(objects.Select(o => $"""
          <xdomea:BewertetesObjekt>
            <xdomea:ID>{o.Id}</xdomea:ID>
            <xdomea:Aussonderungsart><xdomea:Aussonderungsart listURI="urn:xoev-de:xdomea:codeliste:aussonderungsart" listVersionID="1.0"><code>{o.Code}</code></xdomea:Aussonderungsart></xdomea:Aussonderungsart>
          </xdomea:BewertetesObjekt>
        """))}
        </xdomea:Aussonderung.Bewertungsverzeichnis.0502>
        """;

    private static System.IO.MemoryStream Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    private static System.IO.MemoryStream Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var zip = new System.IO.MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var s = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                s.Write(bytes);
            }
        }

        zip.Position = 0;
        return zip;
    }

    [Theory]
    [InlineData("3.1.0")]
    [InlineData("3.0.0")]
    public void An_appraisal_gives_A_or_V_per_offered_file_in_both_versions(string version)
    {
        var appraisal = XdomeaImport.ReadAppraisal(Bytes(Appraisal(ProcessId, version, (FileA, "A"), (FileV, "V"))), ProcessId, Offered);
        Assert.Equal('A', appraisal.Decisions[FileA]);
        Assert.Equal('V', appraisal.Decisions[FileV]);
        Assert.Equal(version == "3.0.0" ? XdomeaVersion.V3_0_0 : XdomeaVersion.V3_1_0, appraisal.Version);
    }

    [Fact]
    public void An_appraisal_in_its_ZIP_container_is_read_the_same()
    {
        var xml = Encoding.UTF8.GetBytes(Appraisal(ProcessId, "3.1.0", (FileA, "A")));
        var appraisal = XdomeaImport.ReadAppraisal(Zip(($"{ProcessId}_Aussonderung.Bewertungsverzeichnis.0502.xml", xml)), ProcessId, Offered);
        Assert.Equal('A', Assert.Single(appraisal.Decisions).Value);
    }

    [Fact]
    public void An_object_that_was_not_offered_is_refused_by_id()
    {
        var stranger = Guid.NewGuid();
        var e = Assert.Throws<XdomeaRejectedException>(() => XdomeaImport.ReadAppraisal(Bytes(Appraisal(ProcessId, "3.1.0", (FileA, "A"), (stranger, "V"))), ProcessId, Offered));
        Assert.Equal("xdomea-object-not-offered", e.Code);
        Assert.Contains(stranger.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("B", "xdomea-appraisal-invalid")]
    [InlineData("X", "xdomea-schema-invalid")]
    public void An_appraisal_other_than_A_or_V_is_refused(string code, string problem) =>
        Assert.Equal(problem, Assert.Throws<XdomeaRejectedException>(() => XdomeaImport.ReadAppraisal(Bytes(Appraisal(ProcessId, "3.1.0", (FileA, code))), ProcessId, Offered)).Code);

    [Fact]
    public void An_appraisal_of_another_process_is_refused() =>
        Assert.Equal("xdomea-process-mismatch", Assert.Throws<XdomeaRejectedException>(() =>
            XdomeaImport.ReadAppraisal(Bytes(Appraisal(Guid.NewGuid(), "3.1.0", (FileA, "A"))), ProcessId, Offered)).Code);

    [Fact]
    public void An_appraisal_with_an_external_entity_is_refused_without_resolving_it()
    {
        var xml = Appraisal(ProcessId, "3.1.0", (FileA, "A"))
            .Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>", StringComparison.Ordinal)
            .Replace("Stadtarchiv Musterstadt", "&e;", StringComparison.Ordinal);
        Assert.Equal("xml-doctype-refused", Assert.Throws<XdomeaRejectedException>(() => XdomeaImport.ReadAppraisal(Bytes(xml), ProcessId, Offered)).Code);
    }

    [Fact]
    public void A_zip_bomb_is_refused_without_inflating_it()
    {
        var zeros = new byte[50 * 1024 * 1024];
        var bomb = Zip(($"{ProcessId}_Aussonderung.Bewertungsverzeichnis.0502.xml", zeros));
        Assert.True(bomb.Length < 1024 * 1024);
        Assert.Equal("zip-bomb", Assert.Throws<XdomeaRejectedException>(() => XdomeaImport.ReadAppraisal(bomb, ProcessId, Offered)).Code);
    }

    [Theory]
    [InlineData("not-a-zip-after-all")]
    [InlineData("two-messages")]
    [InlineData("nested")]
    public void A_broken_container_is_refused(string kind)
    {
        var xml = Encoding.UTF8.GetBytes(Appraisal(ProcessId, "3.1.0", (FileA, "A")));
        var name = $"{ProcessId}_Aussonderung.Bewertungsverzeichnis.0502.xml";
        System.IO.Stream input = kind switch
        {
            "not-a-zip-after-all" => new System.IO.MemoryStream([(byte)'P', (byte)'K', 3, 4, 1, 2, 3]),
            "two-messages" => Zip((name, xml), ("x/" + name, xml), ($"{Guid.NewGuid()}_Aussonderung.Bewertungsverzeichnis.0502.xml", xml)),
            _ => Zip(("sub/" + name, xml)),
        };
        var e = Assert.Throws<XdomeaRejectedException>(() => XdomeaImport.ReadAppraisal(input, ProcessId, Offered));
        Assert.Contains(e.Code, new[] { "zip-invalid", "xdomea-container-invalid" });
    }

    [Fact]
    public void A_message_of_the_wrong_type_is_refused()
    {
        var receipt = XdomeaMessages.AppraisalReceived(ProcessId, new("A"), new("B"), DateTimeOffset.UnixEpoch);
        Assert.Equal("xdomea-message-type-unexpected", Assert.Throws<XdomeaRejectedException>(() =>
            XdomeaImport.ReadAppraisal(Bytes(receipt.Declaration + "\n" + receipt.Root), ProcessId, Offered)).Code);
    }

    [Fact]
    public void An_import_confirmation_names_each_object_with_its_archive_reference_or_errors()
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <xdomea:Aussonderung.AussonderungImportBestaetigen.0506 xmlns:xdomea="urn:xoev-de:xdomea:schema:3.1.0">
              <xdomea:Kopf>
                <xdomea:ProzessID>{ProcessId}</xdomea:ProzessID>
                <xdomea:Nachrichtentyp listURI="urn:xoev-de:xdomea:codeliste:nachrichtentyp" listVersionID="2.0"><code>0506</code></xdomea:Nachrichtentyp>
                <xdomea:Erstellungszeitpunkt>2026-12-05T09:00:00Z</xdomea:Erstellungszeitpunkt>
                <xdomea:Absender><xdomea:Institution><xdomea:Name>Stadtarchiv</xdomea:Name></xdomea:Institution></xdomea:Absender>
                <xdomea:Empfaenger><xdomea:Institution><xdomea:Name>Stadt</xdomea:Name></xdomea:Institution></xdomea:Empfaenger>
              </xdomea:Kopf>
              <xdomea:AusgesondertesSGO><xdomea:IDSGO>{FileA}</xdomea:IDSGO><xdomea:Erfolgreich>true</xdomea:Erfolgreich><xdomea:Archivkennung>StAM 12/345</xdomea:Archivkennung></xdomea:AusgesondertesSGO>
            </xdomea:Aussonderung.AussonderungImportBestaetigen.0506>
            """;
        var confirmation = XdomeaImport.ReadImportConfirmation(Bytes(xml), ProcessId, new HashSet<Guid> { FileA });
        var result = Assert.Single(confirmation.Objects);
        Assert.True(result.Succeeded);
        Assert.Equal("StAM 12/345", result.ArchiveReference);

        Assert.Equal("xdomea-object-not-transferred", Assert.Throws<XdomeaRejectedException>(() =>
            XdomeaImport.ReadImportConfirmation(Bytes(xml), ProcessId, new HashSet<Guid> { FileV })).Code);
    }
}
