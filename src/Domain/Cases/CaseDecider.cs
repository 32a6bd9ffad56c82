using ECase.Domain.Common;
using ECase.Domain.Files;
using FileState = ECase.Domain.Files.File;

namespace ECase.Domain.Cases;

/// <summary>A document arriving with a submission or added to a case; its content is already in the content store.</summary>
public sealed record NewDocument(Guid DocumentId, string Title, ContentRef Content);

public abstract record CaseCommand
{
    private CaseCommand() { }

    /// <param name="File">The file the case opens in, as loaded for writing (null: no such file).</param>
    public sealed record Open(Guid CaseId, FileState? File, string Title) : CaseCommand;

    public sealed record Rename(string Title) : CaseCommand;

    public sealed record Close : CaseCommand;

    public sealed record RegisterSubmission(
        Guid SubmissionId, SubmissionChannel Channel, Guid? SenderId, DateTimeOffset ReceivedAt, string Subject,
        IReadOnlyList<NewDocument> Documents) : CaseCommand;

    public sealed record AddDocumentVersion(Guid DocumentId, ContentRef Content) : CaseCommand;
}

public static class CaseRejections
{
    public const int MaxDocumentsPerSubmission = 100;

    public static readonly Rejection AlreadyExists = new("case-exists", "A case with this id already exists.");
    public static readonly Rejection Unknown = new("case-unknown", "There is no such case.", RejectionKind.NotFound);
    public static readonly Rejection CaseClosed = new("case-closed", "The case is closed.");
    public static readonly Rejection TitleUnchanged = new("title-unchanged", "The case already has this title.");
    public static readonly Rejection NoDocuments = new("submission-without-documents", "A submission needs at least one document.", RejectionKind.Invalid);
    public static readonly Rejection TooManyDocuments = new("submission-too-many-documents", $"A submission holds at most {MaxDocumentsPerSubmission} documents.", RejectionKind.Invalid);
    public static readonly Rejection ReceivedInFuture = new("received-at-in-future", "A submission cannot be received in the future.", RejectionKind.Invalid);
    public static readonly Rejection DuplicateSubmission = new("submission-exists", "A submission with this id already exists in the case.");
    public static readonly Rejection DuplicateDocument = new("document-exists", "A document with this id already exists in the case.");
    public static readonly Rejection UnknownDocument = new("document-unknown", "There is no such document in the case.", RejectionKind.NotFound);
    public static readonly Rejection VersionUnchanged = new("version-unchanged", "The new version has the same content as the latest version.");
}

public static class CaseDecider
{
    /// <summary>Clock skew allowed between a scanner's or mail server's clock and ours.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static Decision Decide(Case? state, CaseCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, CaseCommand.Open c) => Open(c, ctx),
        (not null, CaseCommand.Open) => CaseRejections.AlreadyExists,
        (null, _) => CaseRejections.Unknown,
        ({ Status: CaseStatus.Closed }, _) => CaseRejections.CaseClosed,
        (not null, CaseCommand.Rename c) => Rename(state, c, ctx),
        (not null, CaseCommand.Close) => Decision.Of(new CaseClosed(state.Id, state.FileId, ctx.By, ctx.Now)),
        (not null, CaseCommand.RegisterSubmission c) => RegisterSubmission(state, c, ctx),
        (not null, CaseCommand.AddDocumentVersion c) => AddVersion(state, c, ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>What the file stream records when a case of it opens or closes.</summary>
    public static object ForFile(object caseEvent) => caseEvent switch
    {
        CaseOpened e => new CaseAddedToFile(e.FileId, e.CaseId, e.Title, e.OpenedBy, e.OpenedAt),
        CaseClosed e => new FileCaseClosed(e.FileId, e.CaseId, e.ClosedBy, e.ClosedAt),
        _ => throw new ArgumentException($"{caseEvent.GetType().Name} does not concern the file.", nameof(caseEvent)),
    };

    private static Decision Open(CaseCommand.Open c, CommandContext ctx)
    {
        if (c.File is null) return FileRejections.Unknown;
        if (c.File.Status == FileStatus.Closed) return FileRejections.FileClosed;
        if (Text.ValidateTitle(c.Title, "title") is { } bad) return bad;
        return Decision.Of(new CaseOpened(c.CaseId, c.File.Id, c.Title.Trim(), c.File.OrgUnit, ctx.By, ctx.Now));
    }

    private static Decision Rename(Case state, CaseCommand.Rename c, CommandContext ctx) =>
        Text.ValidateTitle(c.Title, "title") is { } bad ? bad
        : c.Title.Trim() == state.Title ? CaseRejections.TitleUnchanged
        : Decision.Of(new CaseRenamed(state.Id, c.Title.Trim(), ctx.By, ctx.Now));

    private static Decision RegisterSubmission(Case state, CaseCommand.RegisterSubmission c, CommandContext ctx)
    {
        if (Text.ValidateTitle(c.Subject, "subject") is { } bad) return bad;
        if (c.Documents.Count == 0) return CaseRejections.NoDocuments;
        if (c.Documents.Count > CaseRejections.MaxDocumentsPerSubmission) return CaseRejections.TooManyDocuments;
        if (c.ReceivedAt > ctx.Now + ClockTolerance) return CaseRejections.ReceivedInFuture;
        if (state.Submissions.Contains(c.SubmissionId)) return CaseRejections.DuplicateSubmission;
        var ids = c.Documents.Select(d => d.DocumentId).ToList();
        if (ids.Distinct().Count() != ids.Count || ids.Any(state.Documents.ContainsKey)) return CaseRejections.DuplicateDocument;
        foreach (var d in c.Documents)
        {
            if (Text.ValidateTitle(d.Title, "document-title") is { } badTitle) return badTitle;
            if (d.Content.Validate() is { } badContent) return badContent;
        }

        var events = new List<object>
        {
            new SubmissionReceived(state.Id, c.SubmissionId, c.Channel, c.SenderId, c.ReceivedAt, c.Subject.Trim(), ids, ctx.By, ctx.Now),
        };
        events.AddRange(c.Documents.Select(d => new DocumentAdded(state.Id, d.DocumentId, d.Title.Trim(), c.SubmissionId, d.Content, ctx.By, ctx.Now)));
        return new Decision.Accepted(events);
    }

    private static Decision AddVersion(Case state, CaseCommand.AddDocumentVersion c, CommandContext ctx)
    {
        if (!state.Documents.TryGetValue(c.DocumentId, out var doc)) return CaseRejections.UnknownDocument;
        if (c.Content.Validate() is { } bad) return bad;
        if (doc.Latest.Content.Sha256 == c.Content.Sha256) return CaseRejections.VersionUnchanged;
        return Decision.Of(new DocumentVersionAdded(state.Id, doc.Id, doc.Latest.Number + 1, c.Content, ctx.By, ctx.Now));
    }
}
