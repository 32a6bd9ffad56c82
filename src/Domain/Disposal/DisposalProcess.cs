using System.Collections.Immutable;
using ECase.Domain.Cases;
using ECase.Domain.Files;

namespace ECase.Domain.Disposal;

public enum DisposalStage { Offered, Appraised, Transferred, ImportConfirmed, Completed }

/// <summary>Aussonderung: one disposal process, evolved from its stream.</summary>
public sealed record DisposalProcess(
    Guid Id, DisposalKind Kind, ArchiveParty Archive, string XdomeaVersion, DisposalStage Stage, ImmutableList<DisposalFile> Files,
    DateTimeOffset StartedAt, string StartedBy)
{
    /// <summary>A or V per file and case; empty until appraised.</summary>
    public ImmutableDictionary<Guid, string> Appraisal { get; init; } = ImmutableDictionary<Guid, string>.Empty;

    /// <summary>Messages of the process by xdomea message type code (0501, 0502, 0505, 0504, 0507, 0506), plus "certificate".</summary>
    public ImmutableDictionary<string, ContentRef> Messages { get; init; } = ImmutableDictionary<string, ContentRef>.Empty;

    public TransferPackaged? Transfer { get; init; }

    public ImmutableList<ObjectImport> Imports { get; init; } = [];

    public DisposalCompleted? Completion { get; init; }

    /// <summary>The files appraised A (transferred), each with the cases that go with it (those not appraised V).</summary>
    public IEnumerable<(DisposalFile File, IReadOnlyList<Guid> Cases)> ToTransfer() =>
        Files.Where(f => Appraisal.GetValueOrDefault(f.FileId) == "A")
            .Select(f => (f, (IReadOnlyList<Guid>)[.. f.CaseIds.Where(c => Appraisal.GetValueOrDefault(c) != "V")]));

    /// <summary>Object ids the 0503 carries: A files and their transferred cases.</summary>
    public IReadOnlySet<Guid> TransferObjectIds() => ToTransfer().SelectMany(t => t.Cases.Prepend(t.File.FileId)).ToHashSet();

    /// <summary>Every object offered: files and their cases.</summary>
    public IReadOnlySet<Guid> OfferedObjectIds() => Files.SelectMany(f => f.CaseIds.Prepend(f.FileId)).ToHashSet();

    public static DisposalProcess? Evolve(DisposalProcess? state, object @event) => (state, @event) switch
    {
        (null, FilesOfferedToArchive e) => new DisposalProcess(
            e.ProcessId, DisposalKind.OfferAndAppraisal, e.Archive, e.XdomeaVersion, DisposalStage.Offered, [.. e.Files], e.OfferedAt, e.OfferedBy.UserId)
        {
            Messages = ImmutableDictionary<string, ContentRef>.Empty.Add("0501", e.Message),
        },
        (null, TwoStageDisposalStarted e) => new DisposalProcess(
            e.ProcessId, DisposalKind.TwoStage, e.Archive, e.XdomeaVersion, DisposalStage.Appraised, [.. e.Files], e.StartedAt, e.StartedBy.UserId)
        {
            Appraisal = e.Appraisal.ToImmutableDictionary(a => a.ObjectId, a => a.Decision),
        },
        (not null, OfferReceiptReceived e) => state with { Messages = state.Messages.SetItem("0504", e.Message) },
        (not null, AppraisalRecorded e) => state with
        {
            Stage = DisposalStage.Appraised,
            Appraisal = e.Decisions.ToImmutableDictionary(a => a.ObjectId, a => a.Decision),
            Messages = state.Messages.SetItem("0502", e.Message).SetItem("0505", e.Receipt),
        },
        (not null, TransferPackaged e) => state with { Stage = DisposalStage.Transferred, Transfer = e },
        (not null, TransferReceiptReceived e) => state with { Messages = state.Messages.SetItem("0507", e.Message) },
        (not null, ImportConfirmed e) => state with
        {
            Stage = DisposalStage.ImportConfirmed, Imports = [.. e.Objects], Messages = state.Messages.SetItem("0506", e.Message),
        },
        (not null, DisposalCompleted e) => state with
        {
            Stage = DisposalStage.Completed, Completion = e, Messages = state.Messages.SetItem("certificate", e.Certificate),
        },
        _ => state,
    };

    /// <summary>What happens to each file when the process is completed: destroyed, transferred (and so deleted here), or kept.</summary>
    public IEnumerable<(DisposalFile File, Disposition? Disposition, string? ArchiveReference, SkippedFile? Skipped)> Outcomes()
    {
        foreach (var f in Files)
        {
            var decision = Appraisal.GetValueOrDefault(f.FileId);
            if (decision == "V")
            {
                yield return (f, Disposition.Destroyed, null, null);
                continue;
            }

            var import = Imports.FirstOrDefault(i => i.ObjectId == f.FileId);
            if (import is { Succeeded: true }) yield return (f, Disposition.Transferred, import.ArchiveReference, null);
            else if (import is not null)
                yield return (f, null, null, new SkippedFile(f.FileId, f.Reference, "import-failed",
                    "The archive reported the import as failed: " + (import.Errors.Count > 0 ? string.Join("; ", import.Errors) : "no reason given")));
            else
                yield return (f, null, null, new SkippedFile(f.FileId, f.Reference, "not-confirmed", "The archive did not confirm the import of this file."));
        }
    }
}
