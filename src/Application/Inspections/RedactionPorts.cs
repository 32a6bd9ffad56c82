using ECase.Domain.Inspections;

namespace ECase.Application.Inspections;

/// <summary>One redaction of the citizen's copy: a box on a page, or with <paramref name="WholePage"/> the page withheld.</summary>
public sealed record Redaction(RedactionArea Area, bool WholePage, RedactionReason Reason);

/// <summary>What the copy holds: its pages, the boxes blacked out, the pages replaced by a placeholder (1-based), the words dropped from its text.</summary>
public sealed record RedactedCopyInfo(int Pages, int RedactedBoxes, IReadOnlyList<int> WithheldPages, int WordsRemoved);

/// <summary>A page as displayed (crop box, rotation applied), in PDF points; redaction areas are given in this space, origin bottom left.</summary>
public sealed record PageDimensions(double Width, double Height);

/// <summary>
/// The citizen's copy of a document for inspection (issue #7): a derived PDF in which redacted regions are burned in, not
/// covered, and withheld pages are placeholders naming the reason. The input PDF is only read. Stateless and thread-safe.
/// </summary>
public interface IRedactedCopies
{
    /// <summary>Writes the copy of <paramref name="inputPdfPath"/> to <paramref name="outputPdfPath"/>.</summary>
    /// <exception cref="ArgumentException">a redaction names a page the PDF does not have, or has no area; or input and output are one file.</exception>
    Task<RedactedCopyInfo> WriteAsync(
        string inputPdfPath, IReadOnlyList<Redaction> redactions, string title, string outputPdfPath, CancellationToken ct);

    /// <summary>The displayed size of every page of a PDF.</summary>
    /// <exception cref="System.IO.InvalidDataException">not a readable PDF.</exception>
    IReadOnlyList<PageDimensions> PageSizes(string pdfPath);

    /// <summary>Renders one page (1-based) of a PDF as PNG at <paramref name="dpi"/> to <paramref name="pngPath"/>.</summary>
    Task RenderPageAsync(string pdfPath, int page, int dpi, string pngPath, CancellationToken ct);
}
