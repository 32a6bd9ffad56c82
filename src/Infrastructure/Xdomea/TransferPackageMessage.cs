using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ECase.Infrastructure.Xdomea;

/// <summary>
/// Writes the Aussonderung.Aussonderung.0503 straight into its ZIP entry: the skeleton (Schriftgutobjekt, Akte,
/// Akteninhalt, Vorgang) with the XmlWriter, each small part (Kopf, metadata, history, one Dokument) as an XElement
/// written through it. Memory holds one document's elements at a time, never the message.
/// </summary>
internal static class TransferMessage
{
    public static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        CloseOutput = false,
    };

    public static void Write(XmlWriter w, TransferSelection selection, DateTimeOffset at, IReadOnlyList<PlannedFile> files)
    {
        var x = XdomeaSchemas.Namespace(selection.Version);
        var ns = x.NamespaceName;
        w.WriteStartDocument();
        w.WriteStartElement(XdomeaSchemas.Prefix, TransferPackage.MessageType, ns);
        var head = XdomeaMessages.Head(x, selection.ProcessId, "0503", selection.Agency, selection.Archive, at);
        // NkAussonderung: the archive confirms the import (0506, fixed), with its archive reference, and the receipt (0507).
        head.Add(new XElement(x + "Importbestaetigung", "1"), new XElement(x + "RueckmeldungArchivkennung", "1"), new XElement(x + "Empfangsbestaetigung", "1"));
        head.WriteTo(w);
        foreach (var file in files)
        {
            w.WriteStartElement("Schriftgutobjekt", ns);
            w.WriteStartElement("Akte", ns);
            foreach (var e in OfferList.FileMetadata(x, file.Metadata)) e.WriteTo(w);
            foreach (var h in file.History) History(x, h).WriteTo(w);
            if (file.Cases.Count > 0)
            {
                w.WriteStartElement("Akteninhalt", ns);
                foreach (var c in file.Cases)
                {
                    w.WriteStartElement("Vorgang", ns);
                    foreach (var e in OfferList.CaseMetadata(x, c.Metadata, file.Metadata.Reference)) e.WriteTo(w);
                    foreach (var h in c.History) History(x, h).WriteTo(w);
                    foreach (var d in c.Documents) Document(x, d).WriteTo(w);
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            new XElement(x + "ZdA", file.Metadata.ClosedOn is null ? "false" : "true").WriteTo(w);
            if (file.Metadata.ClosedOn is { } closed) new XElement(x + "ZdADatum", OfferList.Date(closed)).WriteTo(w);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static XElement Document(XNamespace x, PlannedDocument d) =>
        new(x + "Dokument",
            OfferList.Identification(x, d.Id),
            new XElement(x + "AllgemeineMetadaten", new XElement(x + "Betreff", d.Title)),
            d.Received is { } received ? new XElement(x + "Posteingangsdatum", OfferList.Date(received)) : null,
            d.History.Select(h => History(x, h)),
            d.Versions.Select(v => new XElement(x + "Version",
                new XElement(x + "Nummer", v.Number.ToString(CultureInfo.InvariantCulture)),
                v.Formats.Select(f => Format(x, f)))));

    private static XElement Format(XNamespace x, PlannedFormat f) =>
        new(x + "Format",
            OfferList.Code(x, "Name", "dateiformat", f.Code),
            f.OtherName is { } other ? new XElement(x + "SonstigerName", other) : null,
            new XElement(x + "Version", f.Version),
            new XElement(x + "Primaerdokument",
                new XElement(x + "Dateiname", f.EntryName),
                new XElement(x + "DateinameOriginal", f.Content.FileName),
                new XElement(x + "Ersteller", f.Creator),
                new XElement(x + "DatumUhrzeit", Timestamp(f.CreatedAt))));

    private static XElement History(XNamespace x, HistoryEntry h) =>
        new(x + "HistorienProtokollInformation",
            h.Field is { } field ? new XElement(x + "MetadatumName", field) : null,
            h.OldValue is { } old ? new XElement(x + "MetadatumAlterWert", old) : null,
            h.NewValue is { } value ? new XElement(x + "MetadatumNeuerWert", value) : null,
            new XElement(x + "Akteur", h.Actor),
            new XElement(x + "DatumUhrzeit", Timestamp(h.At)),
            h.Remark is { Length: > 0 } remark ? new XElement(x + "Bemerkung", remark) : null,
            new XElement(x + "Aktion", h.Action));

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
