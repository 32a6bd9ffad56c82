using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace ECase.Integration.Tests.Disposal;

/// <summary>The archive's side of the exchange: the messages a public archive's system sends back, written as it would.</summary>
public static class ArchiveSide
{
    private static string Head(Guid process, string code, string version, bool receiptWanted = false) => $"""
          <xdomea:Kopf>
            <xdomea:ProzessID>{process}</xdomea:ProzessID>
            <xdomea:Nachrichtentyp listURI="urn:xoev-de:xdomea:codeliste:nachrichtentyp" listVersionID="2.0"><code>{code}</code></xdomea:Nachrichtentyp>
            <xdomea:Erstellungszeitpunkt>2026-12-01T09:00:00Z</xdomea:Erstellungszeitpunkt>
            <xdomea:Absender><xdomea:Institution><xdomea:Name>Stadtarchiv Musterstadt</xdomea:Name></xdomea:Institution></xdomea:Absender>
            <xdomea:Empfaenger><xdomea:Institution><xdomea:Name>Stadtverwaltung Musterstadt</xdomea:Name></xdomea:Institution></xdomea:Empfaenger>{(receiptWanted ? "\n    <xdomea:Empfangsbestaetigung>true</xdomea:Empfangsbestaetigung>" : "")}
          </xdomea:Kopf>
        """;

    /// <summary>Aussonderung.Bewertungsverzeichnis.0502: A or V per object.</summary>
    public static string Appraisal(Guid process, params (Guid Id, string Code)[] objects) => Appraisal(process, "3.1.0", objects);

    public static string Appraisal(Guid process, string version, params (Guid Id, string Code)[] objects) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <xdomea:Aussonderung.Bewertungsverzeichnis.0502 xmlns:xdomea="urn:xoev-de:xdomea:schema:{version}">
        {Head(process, "0502", version, receiptWanted: true)}
        {string.Concat(objects.Select(o => $"""
          <xdomea:BewertetesObjekt>
            <xdomea:ID>{o.Id}</xdomea:ID>
            <xdomea:Aussonderungsart><xdomea:Aussonderungsart listURI="urn:xoev-de:xdomea:codeliste:aussonderungsart" listVersionID="1.0"><code>{o.Code}</code></xdomea:Aussonderungsart></xdomea:Aussonderungsart>
          </xdomea:BewertetesObjekt>
        """))}
        </xdomea:Aussonderung.Bewertungsverzeichnis.0502>
        """;

    /// <summary>A receipt that is only a head: 0504 (offer received) or 0507 (transfer received).</summary>
    public static string Receipt(Guid process, string code)
    {
        var element = code == "0504" ? "Aussonderung.AnbietungEmpfangBestaetigen.0504" : "Aussonderung.AussonderungEmpfangBestaetigen.0507";
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <xdomea:{element} xmlns:xdomea="urn:xoev-de:xdomea:schema:3.1.0">
            {Head(process, code, "3.1.0")}
            </xdomea:{element}>
            """;
    }

    /// <summary>Aussonderung.AussonderungImportBestaetigen.0506: per object, imported (with archive reference) or not.</summary>
    public static string ImportConfirmation(Guid process, params (Guid Id, bool Ok, string? Reference)[] objects) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <xdomea:Aussonderung.AussonderungImportBestaetigen.0506 xmlns:xdomea="urn:xoev-de:xdomea:schema:3.1.0">
        {Head(process, "0506", "3.1.0")}
        {string.Concat(objects.Select(o => $"""
          <xdomea:AusgesondertesSGO><xdomea:IDSGO>{o.Id}</xdomea:IDSGO><xdomea:Erfolgreich>{(o.Ok ? "true" : "false")}</xdomea:Erfolgreich>{(o.Reference is null ? "<xdomea:Fehlermeldung>Formatfehler</xdomea:Fehlermeldung>" : $"<xdomea:Archivkennung>{o.Reference}</xdomea:Archivkennung>")}</xdomea:AusgesondertesSGO>
        """))}
        </xdomea:Aussonderung.AussonderungImportBestaetigen.0506>
        """;

    public static ByteArrayContent Xml(string xml)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(xml.TrimStart()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        return content;
    }

    public static ByteArrayContent Zip(params (string Name, byte[] Bytes, CompressionLevel Level)[] entries)
    {
        var zip = new System.IO.MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes, level) in entries)
            {
                using var s = archive.CreateEntry(name, level).Open();
                s.Write(bytes);
            }
        }

        var content = new ByteArrayContent(zip.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}
