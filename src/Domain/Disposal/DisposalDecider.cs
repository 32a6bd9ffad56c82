using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;

namespace ECase.Domain.Disposal;

public abstract record DisposalCommand
{
    private DisposalCommand() { }

    public sealed record Offer(Guid ProcessId, ArchiveParty Archive, string XdomeaVersion, IReadOnlyList<DisposalFile> Files, ContentRef Message) : DisposalCommand;

    /// <param name="PlanProposals">Each file's plan unit proposal (A, B or V) as the handler found it.</param>
    public sealed record StartTwoStage(
        Guid ProcessId, ArchiveParty Archive, string XdomeaVersion, IReadOnlyList<DisposalFile> Files, IReadOnlyDictionary<Guid, DisposalProposal> PlanProposals)
        : DisposalCommand;

    public sealed record RecordOfferReceipt(ContentRef Message) : DisposalCommand;

    public sealed record RecordAppraisal(IReadOnlyList<ObjectAppraisal> Decisions, ContentRef Message, ContentRef Receipt) : DisposalCommand;

    public sealed record RecordTransfer(
        Guid JobId, string XdomeaVersion, string ZipSha256, long ZipBytes, int Documents, IReadOnlyList<Guid> ObjectIds, IReadOnlyList<string> Warnings)
        : DisposalCommand;

    public sealed record RecordTransferReceipt(ContentRef Message) : DisposalCommand;

    public sealed record ConfirmImport(IReadOnlyList<ObjectImport> Objects, ContentRef Message) : DisposalCommand;

    public sealed record Complete(IReadOnlyList<DisposedFile> Disposed, IReadOnlyList<SkippedFile> Skipped, ContentRef Certificate) : DisposalCommand;
}

public static class DisposalRejections
{
    public static readonly Rejection Exists = new("disposal-process-exists", "A disposal process with this id exists already.");
    public static readonly Rejection Unknown = new("disposal-process-unknown", "There is no such disposal process.", RejectionKind.NotFound);
    public static readonly Rejection NoFiles = new("disposal-no-files", "A disposal process needs at least one file.", RejectionKind.Invalid);
    public static readonly Rejection FileTwice = new("disposal-file-twice", "A file is named twice.", RejectionKind.Invalid);
    public static readonly Rejection NotTwoStage = new("disposal-not-offered", "This process has no offer: it is a two-stage process.");
    public static readonly Rejection WrongStage = new("disposal-wrong-stage", "The disposal process is not at the stage this step needs.");
    public static readonly Rejection AppraisalIncomplete = new(
        "xdomea-appraisal-incomplete", "The appraisal must decide A or V for every offered file.", RejectionKind.Invalid);
    public static readonly Rejection AppraisalInconsistent = new(
        "xdomea-appraisal-inconsistent", "A case cannot be archived (A) when its file is destroyed (V).", RejectionKind.Invalid);
    public static readonly Rejection NothingToTransfer = new("disposal-nothing-to-transfer", "No file of the process was appraised A.");
    public static readonly Rejection NeedsAppraisal = new(
        "disposal-needs-appraisal", "A two-stage process takes the appraisal from the file plan; a plan unit marked B needs the archive's appraisal (offer).",
        RejectionKind.Invalid);
}

/// <summary>The rules of a disposal process: offer → appraisal → transfer → import confirmation → destruction.</summary>
public static class DisposalDecider
{
    public static Decision Decide(DisposalProcess? state, DisposalCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, DisposalCommand.Offer c) => ValidFiles(c.Files) ?? Decision.Of(new FilesOfferedToArchive(c.ProcessId, c.Archive, c.XdomeaVersion, c.Files, c.Message, ctx.By, ctx.Now)),
        (null, DisposalCommand.StartTwoStage c) => StartTwoStage(c, ctx),
        (not null, DisposalCommand.Offer or DisposalCommand.StartTwoStage) => DisposalRejections.Exists,
        (null, _) => DisposalRejections.Unknown,
        ({ Stage: DisposalStage.Completed }, _) => DisposalRejections.WrongStage,
        (not null, DisposalCommand.RecordOfferReceipt c) => state.Kind != DisposalKind.OfferAndAppraisal ? DisposalRejections.NotTwoStage
            : Decision.Of(new OfferReceiptReceived(state.Id, c.Message, ctx.By, ctx.Now)),
        (not null, DisposalCommand.RecordAppraisal c) => RecordAppraisal(state, c, ctx),
        (not null, DisposalCommand.RecordTransfer c) => state.Stage is not (DisposalStage.Appraised or DisposalStage.Transferred) ? DisposalRejections.WrongStage
            : !state.ToTransfer().Any() ? DisposalRejections.NothingToTransfer
            : Decision.Of(new TransferPackaged(state.Id, c.JobId, c.XdomeaVersion, c.ZipSha256, c.ZipBytes, c.Documents, c.ObjectIds, c.Warnings, ctx.By, ctx.Now)),
        (not null, DisposalCommand.RecordTransferReceipt c) => state.Stage is not (DisposalStage.Transferred or DisposalStage.ImportConfirmed) ? DisposalRejections.WrongStage
            : Decision.Of(new TransferReceiptReceived(state.Id, c.Message, ctx.By, ctx.Now)),
        (not null, DisposalCommand.ConfirmImport c) => state.Stage != DisposalStage.Transferred ? DisposalRejections.WrongStage
            : Decision.Of(new ImportConfirmed(state.Id, c.Objects, c.Message, ctx.By, ctx.Now)),
        (not null, DisposalCommand.Complete c) => !CanComplete(state) ? DisposalRejections.WrongStage
            : Decision.Of(new DisposalCompleted(state.Id, c.Disposed, c.Skipped, c.Certificate, ctx.By, ctx.Now)),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    /// <summary>Destruction follows the import confirmation, or directly the appraisal when nothing is to be archived.</summary>
    public static bool CanComplete(DisposalProcess state) =>
        state.Stage == DisposalStage.ImportConfirmed || (state.Stage == DisposalStage.Appraised && !state.ToTransfer().Any());

    private static Rejection? ValidFiles(IReadOnlyList<DisposalFile> files) =>
        files.Count == 0 ? DisposalRejections.NoFiles
        : files.Select(f => f.FileId).Distinct().Count() != files.Count ? DisposalRejections.FileTwice
        : null;

    private static Decision StartTwoStage(DisposalCommand.StartTwoStage c, CommandContext ctx)
    {
        if (ValidFiles(c.Files) is { } bad) return bad;
        if (c.Files.Any(f => c.PlanProposals.GetValueOrDefault(f.FileId, DisposalProposal.Appraise) == DisposalProposal.Appraise))
            return DisposalRejections.NeedsAppraisal;
        var appraisal = c.Files.Select(f => new ObjectAppraisal(f.FileId, c.PlanProposals[f.FileId] == DisposalProposal.Archive ? "A" : "V")).ToList();
        return Decision.Of(new TwoStageDisposalStarted(c.ProcessId, c.Archive, c.XdomeaVersion, c.Files, appraisal, ctx.By, ctx.Now));
    }

    private static Decision RecordAppraisal(DisposalProcess state, DisposalCommand.RecordAppraisal c, CommandContext ctx)
    {
        if (state.Kind != DisposalKind.OfferAndAppraisal) return DisposalRejections.NotTwoStage;
        if (state.Stage != DisposalStage.Offered) return DisposalRejections.WrongStage;
        var decisions = c.Decisions.ToDictionary(d => d.ObjectId, d => d.Decision);
        if (state.Files.Any(f => !decisions.ContainsKey(f.FileId))) return DisposalRejections.AppraisalIncomplete;
        if (state.Files.Any(f => decisions[f.FileId] == "V" && f.CaseIds.Any(c => decisions.GetValueOrDefault(c) == "A")))
            return DisposalRejections.AppraisalInconsistent;
        return Decision.Of(new AppraisalRecorded(state.Id, c.Decisions, c.Message, c.Receipt, ctx.By, ctx.Now));
    }
}
