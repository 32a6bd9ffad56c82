using ECase.Domain.Common;

namespace ECase.Domain.Inspections;

public abstract record InspectionCommand
{
    private InspectionCommand() { }

    /// <param name="FileId">The file the reference names, as the handler found it (null: no such file).</param>
    public sealed record Request(Guid InspectionId, Guid? FileId, string FileReference, string Reason, LegalBasis LegalBasis) : InspectionCommand;

    /// <summary><see cref="Documents"/>: the versions in the scope now, as the handler found them.</summary>
    public sealed record Grant(InspectionScope Scope, DateOnly ExpiresOn, bool DownloadAllowed) : InspectionCommand
    {
        public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];
    }

    public sealed record GrantInPart(InspectionScope Scope, DateOnly ExpiresOn, bool DownloadAllowed, RefusalReason ReasonCode, string Justification)
        : InspectionCommand
    {
        public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];
    }

    public sealed record Refuse(RefusalReason ReasonCode, string Justification) : InspectionCommand;

    /// <param name="CaseId">The case the document belongs to, as the handler found it.</param>
    public sealed record Redact(Guid RedactionId, Guid CaseId, Guid DocumentId, int Version, RedactionArea Area, bool WholePage, RedactionReason ReasonCode)
        : InspectionCommand;

    public sealed record RemoveRedaction(Guid RedactionId) : InspectionCommand;

    /// <param name="Page">1-based page viewed; 0 for a download of the whole document.</param>
    public sealed record View(Guid CaseId, Guid DocumentId, int Version, int Page) : InspectionCommand;

    public sealed record Expire : InspectionCommand;

    public sealed record Withdraw(string? Reason) : InspectionCommand;

    /// <summary>Ends a request that is still open because its file is gone (disposal).</summary>
    public sealed record Close(InspectionCloseReason Reason) : InspectionCommand;
}

public static class InspectionRejections
{
    public static readonly Rejection Exists = new("inspection-exists", "An inspection with this id exists already.");
    public static readonly Rejection Unknown = new("inspection-unknown", "There is no such inspection request.", RejectionKind.NotFound);
    public static readonly Rejection FileUnknown = new("inspection-file-unknown", "No file has this reference.", RejectionKind.Invalid);
    public static readonly Rejection ReasonRequired = new("inspection-reason-required", "Say why you want to inspect the file.", RejectionKind.Invalid);
    public static readonly Rejection JustificationRequired = new("inspection-justification-required", "A refusal, in whole or part, needs a justification.", RejectionKind.Invalid);
    public static readonly Rejection ScopeEmpty = new("inspection-scope-empty", "A grant names the whole file or at least one case or document.", RejectionKind.Invalid);
    public static readonly Rejection DocumentsOutsideScope = new("inspection-documents-outside-scope", "A grant shows only documents of its scope.", RejectionKind.Invalid);
    public static readonly Rejection ExpiryInPast = new("inspection-expiry-invalid", "The expiry date must be today or later.", RejectionKind.Invalid);
    public static readonly Rejection NotPending = new("inspection-not-pending", "The request was decided already, withdrawn or has expired.");
    public static readonly Rejection NotOpen = new("inspection-not-open", "The inspection is not granted, or has expired or been withdrawn.", RejectionKind.NotFound);
    public static readonly Rejection OutOfScope = new("inspection-out-of-scope", "The document is not part of the granted inspection.", RejectionKind.NotFound);
    public static readonly Rejection DownloadNotAllowed = new("inspection-download-not-allowed", "Download was not granted; view the pages instead.", RejectionKind.Forbidden);
    public static readonly Rejection AreaInvalid = new("redaction-area-invalid", "A redaction names a page from 1 and a rectangle of positive size within 14,400 points.", RejectionKind.Invalid);
    public static readonly Rejection RedactionUnknown = new("redaction-unknown", "The inspection has no such redaction.", RejectionKind.NotFound);
    public static readonly Rejection PageInvalid = new("inspection-page-invalid", "Pages are numbered from 1 (0: the whole document as a download).", RejectionKind.Invalid);
    public static readonly Rejection NotExpired = new("inspection-not-expired", "The inspection has not expired.");
    public static readonly Rejection Closed = new("inspection-closed", "The inspection was refused, withdrawn or closed, or has expired.");
}

/// <summary>
/// The rules of Akteneinsicht: a citizen asks, the clerk grants (whole or part, with expiry and download) or refuses, marks
/// redactions; the citizen views pages of what is granted until it expires or is withdrawn. Changing a grant is a new grant.
/// </summary>
public static class InspectionDecider
{
    public const double MaxPoints = 14_400;

    public static Decision Decide(Inspection? state, InspectionCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, InspectionCommand.Request c) => Request(c, ctx),
        (not null, InspectionCommand.Request) => InspectionRejections.Exists,
        (null, _) => InspectionRejections.Unknown,
        (not null, InspectionCommand.Grant c) => Grant(state, c.Scope, c.ExpiresOn, c.Documents, ctx)
            ?? Decision.Of(new InspectionGranted(state.Id, c.Scope, c.ExpiresOn, c.DownloadAllowed, ctx.By, ctx.Now) { Documents = c.Documents }),
        (not null, InspectionCommand.GrantInPart c) => Grant(state, c.Scope, c.ExpiresOn, c.Documents, ctx)
            ?? (string.IsNullOrWhiteSpace(c.Justification) ? InspectionRejections.JustificationRequired
                : Decision.Of(new InspectionPartlyGranted(state.Id, c.Scope, c.ExpiresOn, c.DownloadAllowed, c.ReasonCode, c.Justification.Trim(), ctx.By, ctx.Now)
                {
                    Documents = c.Documents,
                })),
        (not null, InspectionCommand.Refuse c) => state.Status != InspectionStatus.Requested ? InspectionRejections.NotPending
            : string.IsNullOrWhiteSpace(c.Justification) ? InspectionRejections.JustificationRequired
            : Decision.Of(new InspectionRefused(state.Id, c.ReasonCode, c.Justification.Trim(), ctx.By, ctx.Now)),
        (not null, InspectionCommand.Redact c) => Redact(state, c, ctx),
        (not null, InspectionCommand.RemoveRedaction c) =>
            state.IsFinished ? InspectionRejections.Closed
            : state.Redactions.All(r => r.RedactionId != c.RedactionId) ? InspectionRejections.RedactionUnknown
            : Decision.Of(new RedactionRemoved(state.Id, c.RedactionId, ctx.By, ctx.Now)),
        (not null, InspectionCommand.View c) => View(state, c, ctx),
        (not null, InspectionCommand.Expire) => state.Status is not (InspectionStatus.Granted or InspectionStatus.PartlyGranted) ? InspectionRejections.Closed
            : state.ExpiresOn is not { } end || Today(ctx) <= end ? InspectionRejections.NotExpired
            : Decision.Of(new InspectionExpired(state.Id, end, ctx.By, ctx.Now)),
        (not null, InspectionCommand.Withdraw c) => state.IsFinished
            ? InspectionRejections.Closed
            : Decision.Of(new InspectionWithdrawn(state.Id, string.IsNullOrWhiteSpace(c.Reason) ? null : c.Reason.Trim(), ctx.By, ctx.Now)),
        (not null, InspectionCommand.Close c) => state.IsFinished
            ? InspectionRejections.Closed
            : Decision.Of(new InspectionClosed(state.Id, c.Reason, ctx.By, ctx.Now)),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static DateOnly Today(CommandContext ctx) => DateOnly.FromDateTime(ctx.Now.UtcDateTime);

    private static Decision Request(InspectionCommand.Request c, CommandContext ctx) =>
        c.FileId is not { } fileId ? InspectionRejections.FileUnknown
        : string.IsNullOrWhiteSpace(c.Reason) ? InspectionRejections.ReasonRequired
        : Text.ValidateTitle(c.Reason, "reason") is { } bad ? bad
        : Decision.Of(new InspectionRequested(c.InspectionId, fileId, c.FileReference, ctx.By.UserId, c.Reason.Trim(), c.LegalBasis, ctx.By, ctx.Now));

    /// <summary>A first decision, or a change of an open grant; null when allowed.</summary>
    private static Rejection? Grant(Inspection state, InspectionScope scope, DateOnly expiresOn, IReadOnlyList<GrantedVersion> documents, CommandContext ctx) =>
        state.Status is not (InspectionStatus.Requested or InspectionStatus.Granted or InspectionStatus.PartlyGranted) ? InspectionRejections.NotPending
        : scope.IsEmpty ? InspectionRejections.ScopeEmpty
        : expiresOn < Today(ctx) ? InspectionRejections.ExpiryInPast
        : documents.Any(d => !scope.Covers(d.CaseId, d.DocumentId)) ? InspectionRejections.DocumentsOutsideScope
        : null;

    private static Decision Redact(Inspection state, InspectionCommand.Redact c, CommandContext ctx)
    {
        if (state.IsFinished) return InspectionRejections.Closed;
        var a = c.Area;
        if (a.Page < 1 || c.Version < 1 || a.X < 0 || a.Y < 0 || a.Width <= 0 || a.Height <= 0 || a.X + a.Width > MaxPoints || a.Y + a.Height > MaxPoints
            || !double.IsFinite(a.X + a.Y + a.Width + a.Height))
            return InspectionRejections.AreaInvalid;
        // Redactions may be marked before the grant (while deciding), but only on what is or will be shown: checked again on view.
        if (state.Status != InspectionStatus.Requested && !state.Scope.Covers(c.CaseId, c.DocumentId)) return InspectionRejections.OutOfScope;
        return Decision.Of(new RedactionApplied(state.Id, c.RedactionId, c.DocumentId, c.Version, a, c.WholePage, c.ReasonCode, ctx.By, ctx.Now));
    }

    private static Decision View(Inspection state, InspectionCommand.View c, CommandContext ctx) =>
        ctx.By.UserId != state.CitizenId ? InspectionRejections.Unknown
        : !state.IsOpenOn(Today(ctx)) ? InspectionRejections.NotOpen
        : !state.Scope.Covers(c.CaseId, c.DocumentId) || !state.Shows(c.DocumentId, c.Version) ? InspectionRejections.OutOfScope
        : c.Page == 0 && !state.DownloadAllowed ? InspectionRejections.DownloadNotAllowed
        : c.Page < 0 ? InspectionRejections.PageInvalid
        : Decision.Of(new InspectionDocumentViewed(state.Id, c.DocumentId, c.Version, c.Page, c.Page == 0, ctx.By, ctx.Now));
}
