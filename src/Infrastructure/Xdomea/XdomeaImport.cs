using System.IO.Compression;
using System.Xml.Linq;

namespace ECase.Infrastructure.Xdomea;

/// <summary>An incoming message that cannot be taken; <see cref="Problems"/> says why (codes as in RFC 9457 problems).</summary>
public sealed class XdomeaRejectedException(IReadOnlyList<XdomeaProblem> problems)
    : Exception(string.Join("; ", problems.Select(p => p.Line > 0 ? $"{p.Message} (line {p.Line})" : p.Message)))
{
    public IReadOnlyList<XdomeaProblem> Problems { get; } = problems;

    public string Code => Problems[0].Code;

    public static XdomeaRejectedException Of(string code, string message) => new([new XdomeaProblem(code, message, 0, 0)]);
}

/// <summary>The archive's appraisal (0502): A or V per offered object.</summary>
public sealed record Appraisal(Guid ProcessId, XdomeaVersion Version, IReadOnlyDictionary<Guid, char> Decisions);

/// <summary>One object of the archive's import confirmation (0506).</summary>
public sealed record ImportResult(Guid ObjectId, bool Succeeded, string? ArchiveReference, IReadOnlyList<string> Errors);

public sealed record ImportConfirmation(Guid ProcessId, XdomeaVersion Version, IReadOnlyList<ImportResult> Objects);

/// <summary>
/// Reads what an archive sends back: the message as XML or as the xdomea ZIP container around it. The container is
/// opened with limits (entries, uncompressed bytes, compression ratio) so a ZIP bomb is refused, not inflated.
/// </summary>
public static class XdomeaImport
{
    public const int MaxEntries = 1000;
    public const long MaxUncompressedBytes = 64L * 1024 * 1024;
    public const int MaxCompressionRatio = 200;

    public static XdomeaReadResult ReadMessage(System.IO.Stream input, string messageType)
    {
        var buffered = new System.IO.MemoryStream();
        CopyBounded(input, buffered, MaxUncompressedBytes, "The message is larger than 64 MB.");
        buffered.Position = 0;
        var head = buffered.Length >= 4 ? buffered.GetBuffer().AsSpan(0, 4).ToArray() : [];
        if (head is [(byte)'P', (byte)'K', 3, 4]) return FromZip(buffered, messageType);
        var result = XdomeaSchemas.Read(buffered);
        if (result.Ok && result.MessageType != messageType)
            throw XdomeaRejectedException.Of("xdomea-message-type-unexpected", $"Expected {messageType}, got {result.MessageType}.");
        return result.Ok ? result : throw new XdomeaRejectedException(result.Problems);
    }

    private static XdomeaReadResult FromZip(System.IO.MemoryStream zip, string messageType)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (System.IO.InvalidDataException e)
        {
            throw XdomeaRejectedException.Of("zip-invalid", $"The container is not a readable ZIP: {e.Message}");
        }

        using (archive)
        {
            if (archive.Entries.Count > MaxEntries) throw XdomeaRejectedException.Of("zip-too-many-entries", $"The container has more than {MaxEntries} entries.");
            var candidates = archive.Entries.Where(e => e.FullName.EndsWith($"_{messageType}.xml", StringComparison.Ordinal) && !e.FullName.Contains('/')).ToList();
            if (candidates.Count != 1)
                throw XdomeaRejectedException.Of("xdomea-container-invalid", $"The container must hold exactly one '<ProzessID>_{messageType}.xml' at its top level; it holds {candidates.Count}.");
            var entry = candidates[0];
            if (entry.Length > MaxUncompressedBytes || (entry.CompressedLength > 0 && entry.Length / Math.Max(1, entry.CompressedLength) > MaxCompressionRatio))
                throw XdomeaRejectedException.Of("zip-bomb", $"The message inflates to {entry.Length} bytes from {entry.CompressedLength}: refused.");
            var xml = new System.IO.MemoryStream();
            using (var stream = entry.Open())
            {
                // The header's sizes can lie: the copy itself stops at the limit.
                CopyBounded(stream, xml, Math.Min(MaxUncompressedBytes, Math.Max(1, entry.CompressedLength) * MaxCompressionRatio), "The message inflates beyond the allowed size: refused.", "zip-bomb");
            }

            xml.Position = 0;
            var result = XdomeaSchemas.Read(xml);
            if (!result.Ok) throw new XdomeaRejectedException(result.Problems);
            if (result.MessageType != messageType)
                throw XdomeaRejectedException.Of("xdomea-message-type-unexpected", $"Expected {messageType}, got {result.MessageType}.");
            return result;
        }
    }

    private static void CopyBounded(System.IO.Stream from, System.IO.Stream to, long limit, string message, string code = "xdomea-message-too-large")
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
            if (total > limit) throw XdomeaRejectedException.Of(code, message);
            to.Write(buffer, 0, read);
        }
    }

    /// <summary>Aussonderung.Bewertungsverzeichnis.0502; every object must have been offered in this process, every decision is A or V.</summary>
    public static Appraisal ReadAppraisal(System.IO.Stream input, Guid processId, IReadOnlySet<Guid> offered)
    {
        var result = ReadMessage(input, "Aussonderung.Bewertungsverzeichnis.0502");
        var x = result.Document!.Root!.Name.Namespace;
        CheckProcess(result.Document, x, processId);
        var decisions = new Dictionary<Guid, char>();
        var problems = new List<XdomeaProblem>();
        foreach (var o in result.Document.Root!.Elements(x + "BewertetesObjekt"))
        {
            var id = Guid.Parse(o.Element(x + "ID")!.Value);
            var code = o.Element(x + "Aussonderungsart")?.Element(x + "Aussonderungsart")?.Element("code")?.Value;
            if (!offered.Contains(id)) problems.Add(new("xdomea-object-not-offered", $"Object {id} was not offered in process {processId}.", Line(o), 0));
            else if (code is not ("A" or "V")) problems.Add(new("xdomea-appraisal-invalid", $"Object {id}: the appraisal must be A or V, not '{code}'.", Line(o), 0));
            else if (!decisions.TryAdd(id, code[0])) problems.Add(new("xdomea-object-twice", $"Object {id} is appraised twice.", Line(o), 0));
        }

        if (problems.Count > 0) throw new XdomeaRejectedException(problems);
        return new Appraisal(processId, result.Version!.Value, decisions);
    }

    /// <summary>Aussonderung.AussonderungImportBestaetigen.0506: per transferred object, imported or not, with the archive's reference.</summary>
    public static ImportConfirmation ReadImportConfirmation(System.IO.Stream input, Guid processId, IReadOnlySet<Guid> transferred)
    {
        var result = ReadMessage(input, "Aussonderung.AussonderungImportBestaetigen.0506");
        var x = result.Document!.Root!.Name.Namespace;
        CheckProcess(result.Document, x, processId);
        var objects = result.Document.Root!.Elements(x + "AusgesondertesSGO").Select(o => new ImportResult(
            Guid.Parse(o.Element(x + "IDSGO")!.Value),
            o.Element(x + "Erfolgreich")!.Value is "true" or "1",
            o.Element(x + "Archivkennung")?.Value,
            [.. o.Elements(x + "Fehlermeldung").Select(e => e.Value)])).ToList();
        var unknown = objects.Where(o => !transferred.Contains(o.ObjectId)).ToList();
        if (unknown.Count > 0)
            throw new XdomeaRejectedException([.. unknown.Select(u => new XdomeaProblem("xdomea-object-not-transferred", $"Object {u.ObjectId} was not transferred in process {processId}.", 0, 0))]);
        return new ImportConfirmation(processId, result.Version!.Value, objects);
    }

    /// <summary>A receipt that is only a head (0504 AnbietungEmpfangBestaetigen, 0507 AussonderungEmpfangBestaetigen) of this process.</summary>
    public static XdomeaVersion ReadReceipt(System.IO.Stream input, Guid processId, string messageType)
    {
        var result = ReadMessage(input, messageType);
        CheckProcess(result.Document!, result.Document!.Root!.Name.Namespace, processId);
        return result.Version!.Value;
    }

    private static void CheckProcess(XDocument document, XNamespace x, Guid processId)
    {
        var id = document.Root!.Element(x + "Kopf")?.Element(x + "ProzessID")?.Value;
        if (!Guid.TryParse(id, out var got) || got != processId)
            throw XdomeaRejectedException.Of("xdomea-process-mismatch", $"The message belongs to process {id}, not {processId}.");
    }

    private static int Line(XElement e) => e is System.Xml.IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
