namespace ECase.Application.Disposal;

/// <summary>The long-term format a rendition is made in: PDF/A-2b, <c>application/pdf</c>, file name suffix <c>.pdfa.pdf</c>.</summary>
public sealed record ArchivalRendition(string Format, string MediaType, string FileNameSuffix)
{
    public static readonly ArchivalRendition PdfA2b = new("PDF/A-2b", "application/pdf", ".pdfa.pdf");
}

public enum ArchivalOutcome
{
    /// <summary>The original is PDF/A already; it goes to the archive as it is and no file is written.</summary>
    AlreadyArchival,

    /// <summary>A PDF/A-2b was written to the output path; <see cref="ArchivalResult.Reason"/> may carry a remark (e.g. characters the font lacks).</summary>
    Made,

    /// <summary>No converter for this media type; the original goes to the archive as it is, with a warning.</summary>
    Unsupported,

    /// <summary>A converter exists but could not read the original (damaged, encrypted, too large, timeout).</summary>
    Failed,
}

public sealed record ArchivalResult(ArchivalOutcome Outcome, string? Reason);

/// <summary>
/// PDF/A-2b renditions of document versions for the transfer to the archive (ADR 0017): born-digital PDFs, JPEG, PNG and TIFF
/// images, plain text. What it makes is <see cref="ArchivalRendition.PdfA2b"/>. Stateless and thread-safe.
/// </summary>
public interface IArchivalRenditions
{
    /// <summary>True when <see cref="MakeAsync"/> has a converter for the media type (parameters such as <c>; charset=</c> are ignored).</summary>
    bool CanMake(string mediaType);

    /// <summary>
    /// Reads the original at <paramref name="inputPath"/>; writes a PDF/A-2b to <paramref name="outputPath"/> when the outcome is
    /// <see cref="ArchivalOutcome.Made"/>. <see cref="ArchivalOutcome.AlreadyArchival"/>: the original is PDF/A (no output).
    /// Never throws for bad input; only cancellation and a missing tool (Ghostscript) escape as exceptions.
    /// </summary>
    Task<ArchivalResult> MakeAsync(string inputPath, string mediaType, string title, string outputPath, CancellationToken ct);
}

/// <summary>One file in a disposal certificate: what happened to it and, if it went to the archive, under which reference there.</summary>
public sealed record CertificateEntry(
    string Reference, string Title, Guid FileId, string Disposition, string? ArchiveReference, int Documents, int Blobs, long Bytes);

/// <summary>
/// Everything a disposal certificate states: the process, who ordered it and when, when the content was destroyed, the files
/// disposed of (<see cref="Entries"/>) and those held back (<see cref="Skipped"/>, e.g. legal hold) with their reason as disposition.
/// </summary>
public sealed record DisposalCertificateData(
    Guid ProcessId, string Authority, string Archive, string OrderedBy, DateTimeOffset OrderedAt, DateTimeOffset DestroyedAt,
    IReadOnlyList<CertificateEntry> Entries, IReadOnlyList<CertificateEntry> Skipped, string? Note);

/// <summary>Writes the disposal certificate (Nachweis über die Aussonderung und Vernichtung) as PDF/A-2b; equal data give equal bytes.</summary>
public interface IDisposalCertificateWriter
{
    void Write(DisposalCertificateData data, System.IO.Stream output);
}
