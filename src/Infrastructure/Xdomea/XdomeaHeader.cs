using System.Xml.Linq;

namespace ECase.Infrastructure.Xdomea;

/// <summary>A party of a message: the authority (Behörde) or archive, with its org unit.</summary>
public sealed record XdomeaParty(string Institution, string? OrgUnit = null);

/// <summary>Writes the parts every xdomea message shares (Kopf) and the receipts that are nothing but a Kopf.</summary>
public static class XdomeaMessages
{
    public const string CodeListMessageType = "urn:xoev-de:xdomea:codeliste:nachrichtentyp";

    /// <summary>Aussonderung.BewertungEmpfangBestaetigen.0505: the agency confirms it received the archive's appraisal.</summary>
    public static XDocument AppraisalReceived(Guid processId, XdomeaParty agency, XdomeaParty archive, DateTimeOffset at, XdomeaVersion version = XdomeaVersion.V3_1_0) =>
        Receipt("Aussonderung.BewertungEmpfangBestaetigen.0505", "0505", processId, agency, archive, at, version);

    private static XDocument Receipt(string element, string code, Guid processId, XdomeaParty from, XdomeaParty to, DateTimeOffset at, XdomeaVersion version)
    {
        var x = XdomeaSchemas.Namespace(version);
        return new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(x + element,
                new XAttribute(XNamespace.Xmlns + XdomeaSchemas.Prefix, x.NamespaceName),
                Head(x, processId, code, from, to, at)));
    }

    /// <summary>Kopf (NkBasisType): process id, message type, creation time, sender, recipient, sending system.</summary>
    public static XElement Head(XNamespace x, Guid processId, string messageTypeCode, XdomeaParty from, XdomeaParty to, DateTimeOffset at) =>
        new(x + "Kopf",
            new XElement(x + "ProzessID", processId.ToString()),
            new XElement(x + "Nachrichtentyp",
                new XAttribute("listURI", CodeListMessageType), new XAttribute("listVersionID", "2.0"),
                new XElement("code", messageTypeCode)),
            new XElement(x + "Erstellungszeitpunkt", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            Party(x, "Absender", from),
            Party(x, "Empfaenger", to),
            new XElement(x + "SendendesSystem",
                new XElement(x + "Produktname", "ECase"),
                new XElement(x + "Version", typeof(XdomeaMessages).Assembly.GetName().Version?.ToString(3) ?? "1.0.0")));

    private static XElement Party(XNamespace x, string name, XdomeaParty party) =>
        new(x + name,
            new XElement(x + "Institution", new XElement(x + "Name", party.Institution)),
            party.OrgUnit is { } unit ? new XElement(x + "Organisationseinheit", new XElement(x + "Name", unit)) : null);
}
