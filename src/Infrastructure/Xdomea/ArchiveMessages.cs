using System.Text;
using System.Xml;
using System.Xml.Linq;
using ECase.Application.Common;
using ECase.Application.Disposal;

namespace ECase.Infrastructure.Xdomea;

/// <summary>The disposal process's xdomea messages (port <see cref="IArchiveMessages"/>), on <see cref="OfferList"/>, <see cref="XdomeaMessages"/> and <see cref="XdomeaImport"/>.</summary>
public sealed class ArchiveMessages : IArchiveMessages
{
    public IReadOnlyList<string> Versions { get; } = ["3.1.0", "3.0.0"];

    public static XdomeaVersion Parse(string version) => version switch
    {
        "3.1.0" => XdomeaVersion.V3_1_0,
        "3.0.0" => XdomeaVersion.V3_0_0,
        _ => throw new RequestInvalidException("xdomea-version-unsupported", $"xdomea {version} is not supported; use 3.1.0 or 3.0.0."),
    };

    public byte[] WriteOffer(MessageParties parties, DateTimeOffset at, IReadOnlyList<OfferFile> files) =>
        Bytes(OfferList.Write(
            parties.ProcessId, new XdomeaParty(parties.Authority, parties.AuthorityUnit), new XdomeaParty(parties.Archive), at,
            [.. files.Select(f => new OfferedFile(
                f.Id, f.Reference, f.Title, f.PlanCode, f.PlanTitle, f.Confidentiality, f.RetentionYears, f.Disposal, f.Begin, f.ClosedOn, f.RetentionEndsOn,
                [.. f.Cases.Select(c => new OfferedCase(c.Id, c.Title, c.Begin, c.ClosedOn))]))],
            Parse(parties.Version)));

    public byte[] WriteAppraisalReceipt(MessageParties parties, DateTimeOffset at) =>
        Bytes(XdomeaMessages.AppraisalReceived(
            parties.ProcessId, new XdomeaParty(parties.Authority, parties.AuthorityUnit), new XdomeaParty(parties.Archive), at, Parse(parties.Version)));

    public IReadOnlyDictionary<Guid, char> ReadAppraisal(System.IO.Stream message, Guid processId, IReadOnlySet<Guid> offered) =>
        Refusing(() => XdomeaImport.ReadAppraisal(message, processId, offered).Decisions);

    public IReadOnlyList<ImportedObject> ReadImportConfirmation(System.IO.Stream message, Guid processId, IReadOnlySet<Guid> transferred) =>
        Refusing(() => XdomeaImport.ReadImportConfirmation(message, processId, transferred).Objects
            .Select(o => new ImportedObject(o.ObjectId, o.Succeeded, o.ArchiveReference, o.Errors)).ToList());

    public void ReadReceipt(System.IO.Stream message, Guid processId, string messageTypeCode) =>
        Refusing(() => XdomeaImport.ReadReceipt(message, processId, DisposalAccess.MessageTypes[messageTypeCode]));

    /// <summary>An xdomea refusal becomes a 400 problem with its stable code and every finding (with its line) as an error.</summary>
    private static T Refusing<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XdomeaRejectedException e)
        {
            var errors = e.Problems.GroupBy(p => p.Code).ToDictionary(
                g => g.Key, g => g.Select(p => p.Line > 0 ? $"{p.Message} (line {p.Line})" : p.Message).ToArray());
            throw new RequestInvalidException(e.Code, e.Message, errors);
        }
    }

    private static byte[] Bytes(XDocument document)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return buffer.ToArray();
    }
}
