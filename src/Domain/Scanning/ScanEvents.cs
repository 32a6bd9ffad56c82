using ECase.Domain.Cases;
using ECase.Domain.Common;

namespace ECase.Domain.Scanning;

// Replacing scan (ersetzendes Scannen, BSI TR-03138 RESISCAN). These events live in the case stream, like documents.

public enum ColourMode { BlackWhite, Grayscale, Colour }

/// <summary>Schutzbedarf of the scanned documents (TR-RESISCAN: normal, hoch, sehr hoch).</summary>
public enum ProtectionNeed { Normal, High, VeryHigh }

/// <summary>Scanprotokoll: how the paper became an image.</summary>
public sealed record ScanProtocol(
    string Operator, string Device, string Profile, int ResolutionDpi, ColourMode ColourMode, DateTimeOffset CapturedAt,
    int PageCount, ProtectionNeed ProtectionNeed, bool OriginalMayBeDestroyed, DateOnly? DestroyOriginalAfter);

/// <summary>Qualitätskontrolle: who checked the scan against the paper, and whether it is complete and legible.</summary>
public sealed record QualityCheck(string CheckedBy, bool Accepted, string? Reason);

/// <summary>A paper original was scanned into a new document of the case; version 1 is the image.</summary>
public sealed record DocumentScanned(
    Guid CaseId, Guid DocumentId, string Title, ContentRef Image, ScanProtocol Protocol, string Language, Actor ScannedBy, DateTimeOffset ScannedAt);

public sealed record ScanQualityChecked(
    Guid CaseId, Guid DocumentId, QualityCheck Check, Actor RecordedBy, DateTimeOffset RecordedAt);

public sealed record OcrPageInfo(int Number, float MeanConfidence, double DeskewAngle, int WordCount);

/// <summary>Text recognised on every page; the text with word boxes is a JSON blob in the content store.</summary>
public sealed record OcrCompleted(
    Guid CaseId, Guid DocumentId, int Version, string Language, float MeanConfidence, IReadOnlyList<OcrPageInfo> Pages, ContentRef Text,
    Actor CompletedBy, DateTimeOffset CompletedAt);

/// <summary>Recognition failed for the version (or some of its pages); visible to clerks, never silent.</summary>
public sealed record OcrFailed(
    Guid CaseId, Guid DocumentId, int Version, string Code, string Reason, IReadOnlyList<int> FailedPages, Actor FailedBy, DateTimeOffset FailedAt);

/// <summary>A second format of a document version, e.g. a searchable PDF/A-2b of a scan.</summary>
public sealed record RenditionCreated(
    Guid CaseId, Guid DocumentId, int Version, string Format, ContentRef Content, Actor CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Text taken from a born-digital document (a PDF's text layer, plain text), stored like OCR text.</summary>
public sealed record TextExtracted(
    Guid CaseId, Guid DocumentId, int Version, string Source, int PageCount, ContentRef Text, Actor ExtractedBy, DateTimeOffset ExtractedAt);
