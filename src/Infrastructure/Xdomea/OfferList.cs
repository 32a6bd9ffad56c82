using System.Globalization;
using System.Xml.Linq;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;

namespace ECase.Infrastructure.Xdomea;

/// <summary>A case (Vorgang) as it is offered: metadata only.</summary>
public sealed record OfferedCase(Guid Id, string Title, DateOnly Begin, DateOnly? ClosedOn);

/// <summary>A file (Akte) as it is offered to the archive: metadata only, with its cases.</summary>
public sealed record OfferedFile(
    Guid Id, string Reference, string Title, string PlanCode, string PlanTitle, Confidentiality Confidentiality, int? RetentionYears,
    DisposalProposal Disposal, DateOnly Begin, DateOnly? ClosedOn, DateOnly? RetentionEndsOn, IReadOnlyList<OfferedCase> Cases);

/// <summary>
/// Aussonderung.Anbieteverzeichnis.0501: the offer of files to the archive, metadata only (XDOMEA.md). The object IDs
/// are the stream ids, so they stay the same in 0502, 0503 and 0506 of the process.
/// </summary>
public static class OfferList
{
    public const string MessageType = "Aussonderung.Anbieteverzeichnis.0501";

    public static XDocument Write(
        Guid processId, XdomeaParty agency, XdomeaParty archive, DateTimeOffset at, IReadOnlyList<OfferedFile> files, XdomeaVersion version = XdomeaVersion.V3_1_0)
    {
        if (files.Count == 0) throw new ArgumentException("An offer names at least one file.", nameof(files));
        var x = XdomeaSchemas.Namespace(version);
        var head = XdomeaMessages.Head(x, processId, "0501", agency, archive, at);
        head.Add(new XElement(x + "Empfangsbestaetigung", "true"));
        return new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(x + MessageType,
                new XAttribute(XNamespace.Xmlns + XdomeaSchemas.Prefix, x.NamespaceName),
                head,
                files.Select(f => new XElement(x + "Schriftgutobjekt", File(x, f)))));
    }

    private static XElement File(XNamespace x, OfferedFile f) =>
        new(x + "Akte",
            FileMetadata(x, f),
            f.Cases.Count == 0 ? null : new XElement(x + "Akteninhalt", f.Cases.Select(c => Case(x, c, f.Reference))));

    private static XElement Case(XNamespace x, OfferedCase c, string reference) => new(x + "Vorgang", CaseMetadata(x, c, reference));

    /// <summary>An Akte's elements up to its Laufzeit, in schema order; the 0503 writes the same (<see cref="TransferPackageBuilder"/>).</summary>
    internal static IEnumerable<XElement> FileMetadata(XNamespace x, OfferedFile f) =>
    [
        Identification(x, f.Id),
        new XElement(x + "AllgemeineMetadaten",
            new XElement(x + "Betreff", f.Title),
            new XElement(x + "Kennzeichen", f.Reference),
            Code(x, "Vertraulichkeitsstufe", "vertraulichkeitsstufe", ConfidentialityCode(f.Confidentiality)),
            Code(x, "Medium", "medium", "001"),
            new XElement(x + "Aktenplaneinheit",
                new XElement(x + "Kennzeichen", f.PlanCode),
                f.PlanTitle.Length > 0 ? new XElement(x + "Inhaltsangabe", f.PlanTitle) : null)),
        new XElement(x + "ArchivspezifischeMetadaten",
            new XElement(x + "Aufbewahrungsdauer",
                f.RetentionYears is { } years ? new XElement(x + "AnzahlJahre", years) : new XElement(x + "Unbefristet", "1")),
            new XElement(x + "Aussonderungsart", Code(x, "Aussonderungsart", "aussonderungsart", DisposalCode(f.Disposal))),
            f.RetentionEndsOn is { } end ? new XElement(x + "Aufbewahrungsende", Date(end)) : null),
        Period(x, f.Begin, f.ClosedOn),
    ];

    /// <summary>A Vorgang's elements up to its Laufzeit, in schema order (shared with the 0503).</summary>
    internal static IEnumerable<XElement> CaseMetadata(XNamespace x, OfferedCase c, string reference) =>
    [
        Identification(x, c.Id),
        new XElement(x + "AllgemeineMetadaten",
            new XElement(x + "Betreff", c.Title),
            new XElement(x + "Kennzeichen", reference)),
        new XElement(x + "ZdA", c.ClosedOn is null ? "false" : "true"),
        .. c.ClosedOn is { } closed ? [new XElement(x + "ZdADatum", Date(closed))] : Array.Empty<XElement>(),
        Period(x, c.Begin, c.ClosedOn),
    ];

    internal static XElement Identification(XNamespace x, Guid id) => new(x + "Identifikation", new XElement(x + "ID", id.ToString()));

    internal static XElement Period(XNamespace x, DateOnly begin, DateOnly? end) =>
        new(x + "Laufzeit", new XElement(x + "Beginn", Date(begin)), end is { } e ? new XElement(x + "Ende", Date(e)) : null);

    internal static XElement Code(XNamespace x, string element, string list, string value) =>
        new(x + element,
            new XAttribute("listURI", $"urn:xoev-de:xdomea:codeliste:{list}"), new XAttribute("listVersionID", "1.0"),
            new XElement("code", value));

    internal static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Vertraulichkeitsstufe codes: 001 geheim, 002 NfD, 003 offen, 004 streng geheim, 005 vertraulich.</summary>
    public static string ConfidentialityCode(Confidentiality c) => c switch
    {
        Confidentiality.Open => "003",
        Confidentiality.Restricted => "002",
        Confidentiality.Confidential => "005",
        Confidentiality.Secret => "001",
        Confidentiality.TopSecret => "004",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string DisposalCode(DisposalProposal d) => d switch
    {
        DisposalProposal.Archive => "A",
        DisposalProposal.Appraise => "B",
        DisposalProposal.Destroy => "V",
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };
}
