using System.Text.RegularExpressions;
using ECase.Domain.Cases;
using ECase.Domain.Common;

namespace ECase.Domain.Scanning;

public abstract record ScanCommand
{
    private ScanCommand() { }

    public sealed record Record(Guid DocumentId, string Title, ContentRef Image, ScanProtocol Protocol, QualityCheck Quality, string Language) : ScanCommand;

    public sealed record CompleteOcr(Guid DocumentId, int Version, string Language, IReadOnlyList<OcrPageInfo> Pages, ContentRef Text) : ScanCommand;

    public sealed record FailOcr(Guid DocumentId, int Version, string Code, string Reason, IReadOnlyList<int> FailedPages) : ScanCommand;

    public sealed record AddRendition(Guid DocumentId, int Version, string Format, ContentRef Content) : ScanCommand;

    public sealed record RecordExtractedText(Guid DocumentId, int Version, string Source, int PageCount, ContentRef Text) : ScanCommand;
}

public static class ScanRejections
{
    public static readonly Rejection ImageTypeNotScannable = new("scan-media-type", "A scan is a TIFF, PNG or JPEG image, or a scanner's (image-only) PDF.", RejectionKind.Invalid);
    public static readonly Rejection OperatorRequired = new("scan-operator-required", "The scan protocol names the operator.", RejectionKind.Invalid);
    public static readonly Rejection DeviceRequired = new("scan-device-required", "The scan protocol names the scanner device.", RejectionKind.Invalid);
    public static readonly Rejection ResolutionInvalid = new("scan-resolution-invalid", "The scan resolution is 75 to 1200 dpi.", RejectionKind.Invalid);
    public static readonly Rejection PageCountInvalid = new("scan-page-count-invalid", "The page count of the protocol must match the image (1 to 2000 pages).", RejectionKind.Invalid);
    public static readonly Rejection CapturedInFuture = new("scan-captured-in-future", "A scan cannot be captured in the future.", RejectionKind.Invalid);
    public static readonly Rejection CheckerRequired = new("quality-checker-required", "The quality check names who checked.", RejectionKind.Invalid);
    public static readonly Rejection RejectionReasonRequired = new("quality-reason-required", "A rejected quality check needs a reason.", RejectionKind.Invalid);
    public static readonly Rejection OriginalMustBeKept = new("original-must-be-kept", "The paper original of a scan that failed its quality check must be kept.", RejectionKind.Invalid);
    public static readonly Rejection DestroyDateWithoutPermission = new("destroy-date-without-permission", "A destruction date needs the permission to destroy the original.", RejectionKind.Invalid);
    public static readonly Rejection LanguageInvalid = new("ocr-language-invalid", "OCR languages are Tesseract codes such as deu, eng or deu+eng.", RejectionKind.Invalid);
    public static readonly Rejection NotAScan = new("document-not-a-scan", "The document is not a scan.");
    public static readonly Rejection UnknownVersion = new("document-version-unknown", "The document has no such version.", RejectionKind.NotFound);
    public static readonly Rejection QualityRejected = new("scan-quality-rejected", "The scan failed its quality check; it gets no text and no rendition.");
    public static readonly Rejection OcrAlreadyDone = new("ocr-already-completed", "Text recognition of this version is already completed.");
    public static readonly Rejection TextExists = new("text-exists", "The version already has its text.");
    public static readonly Rejection RenditionExists = new("rendition-exists", "The version already has a rendition in this format.");
}

public static partial class ScanDecider
{
    public const int MaxPages = 2000;
    private static readonly string[] ScannableTypes = ["image/tiff", "image/png", "image/jpeg", "application/pdf"];

    [GeneratedRegex("^[a-z]{3}(_[a-z]{3,4})?(\\+[a-z]{3}(_[a-z]{3,4})?){0,3}\\z")]
    private static partial Regex LanguagePattern();

    public static Decision Decide(Case? state, ScanCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, _) => CaseRejections.Unknown,
        ({ Status: CaseStatus.Closed }, ScanCommand.Record) => CaseRejections.CaseClosed,
        (not null, ScanCommand.Record c) => Record(state, c, ctx),
        (not null, ScanCommand.CompleteOcr c) => ForScanVersion(state, c.DocumentId, c.Version, (_, v) =>
            v.Ocr == OcrState.Completed ? ScanRejections.OcrAlreadyDone
            : c.Text.Validate() is { } badText ? badText
            : Decision.Of(new OcrCompleted(state.Id, c.DocumentId, c.Version, c.Language,
                c.Pages.Count == 0 ? 0 : c.Pages.Average(p => p.MeanConfidence), c.Pages, c.Text, ctx.By, ctx.Now))),
        (not null, ScanCommand.FailOcr c) => ForScanVersion(state, c.DocumentId, c.Version, (_, v) =>
            v.Ocr == OcrState.Completed ? ScanRejections.OcrAlreadyDone
            : Decision.Of(new OcrFailed(state.Id, c.DocumentId, c.Version, c.Code, c.Reason, c.FailedPages, ctx.By, ctx.Now))),
        (not null, ScanCommand.AddRendition c) => AddRendition(state, c, ctx),
        (not null, ScanCommand.RecordExtractedText c) => RecordText(state, c, ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static Decision Record(Case state, ScanCommand.Record c, CommandContext ctx)
    {
        if (state.Documents.ContainsKey(c.DocumentId)) return CaseRejections.DuplicateDocument;
        if (Text.ValidateTitle(c.Title, "document-title") is { } badTitle) return badTitle;
        if (c.Image.Validate() is { } badImage) return badImage;
        if (!ScannableTypes.Contains(c.Image.MediaType)) return ScanRejections.ImageTypeNotScannable;
        var p = c.Protocol;
        if (string.IsNullOrWhiteSpace(p.Operator)) return ScanRejections.OperatorRequired;
        if (string.IsNullOrWhiteSpace(p.Device)) return ScanRejections.DeviceRequired;
        if (p.ResolutionDpi is < 75 or > 1200) return ScanRejections.ResolutionInvalid;
        if (p.PageCount is < 1 or > MaxPages) return ScanRejections.PageCountInvalid;
        if (p.CapturedAt > ctx.Now + CaseDecider.ClockTolerance) return ScanRejections.CapturedInFuture;
        if (p.DestroyOriginalAfter is not null && !p.OriginalMayBeDestroyed) return ScanRejections.DestroyDateWithoutPermission;
        if (!LanguagePattern().IsMatch(c.Language)) return ScanRejections.LanguageInvalid;
        var q = c.Quality;
        if (string.IsNullOrWhiteSpace(q.CheckedBy)) return ScanRejections.CheckerRequired;
        if (!q.Accepted && string.IsNullOrWhiteSpace(q.Reason)) return ScanRejections.RejectionReasonRequired;
        if (!q.Accepted && p.OriginalMayBeDestroyed) return ScanRejections.OriginalMustBeKept;

        return Decision.Of(
            new DocumentScanned(state.Id, c.DocumentId, c.Title.Trim(), c.Image, p with { Operator = p.Operator.Trim(), Device = p.Device.Trim() }, c.Language, ctx.By, ctx.Now),
            new ScanQualityChecked(state.Id, c.DocumentId, q with { CheckedBy = q.CheckedBy.Trim(), Reason = q.Reason?.Trim() }, ctx.By, ctx.Now));
    }

    private static Decision AddRendition(Case state, ScanCommand.AddRendition c, CommandContext ctx)
    {
        if (!state.Documents.TryGetValue(c.DocumentId, out var doc)) return CaseRejections.UnknownDocument;
        var version = doc.Versions.FirstOrDefault(v => v.Number == c.Version);
        if (version is null) return ScanRejections.UnknownVersion;
        if (doc.Scan is { Quality.Accepted: false }) return ScanRejections.QualityRejected;
        if (version.Renditions.ContainsKey(c.Format)) return ScanRejections.RenditionExists;
        if (c.Content.Validate() is { } bad) return bad;
        return Decision.Of(new RenditionCreated(state.Id, c.DocumentId, c.Version, c.Format, c.Content, ctx.By, ctx.Now));
    }

    private static Decision RecordText(Case state, ScanCommand.RecordExtractedText c, CommandContext ctx)
    {
        if (!state.Documents.TryGetValue(c.DocumentId, out var doc)) return CaseRejections.UnknownDocument;
        var version = doc.Versions.FirstOrDefault(v => v.Number == c.Version);
        if (version is null) return ScanRejections.UnknownVersion;
        if (version.Text is not null) return ScanRejections.TextExists;
        if (c.Text.Validate() is { } bad) return bad;
        return Decision.Of(new TextExtracted(state.Id, c.DocumentId, c.Version, c.Source, c.PageCount, c.Text, ctx.By, ctx.Now));
    }

    private static Decision ForScanVersion(Case state, Guid documentId, int number, Func<Document, DocumentVersion, Decision> decide)
    {
        if (!state.Documents.TryGetValue(documentId, out var doc)) return CaseRejections.UnknownDocument;
        if (doc.Scan is null) return ScanRejections.NotAScan;
        if (doc.Scan.Quality is { Accepted: false }) return ScanRejections.QualityRejected;
        var version = doc.Versions.FirstOrDefault(v => v.Number == number);
        // Only the scanned image itself (not a later born-digital version) is recognised.
        return version is null ? ScanRejections.UnknownVersion
            : version.Ocr == OcrState.NotApplicable ? ScanRejections.NotAScan
            : decide(doc, version);
    }
}
