using ECase.Domain.Disposal;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.Disposal;

/// <summary>
/// The disposal process aggregate, stored inline as its own read model: commands fetch it for writing, archivists and
/// registrars list and read it (ADR 0017).
/// </summary>
public sealed class DisposalProcessProjection : SingleStreamProjection<DisposalProcess, Guid>
{
    public DisposalProcessProjection()
    {
        IncludeType<FilesOfferedToArchive>();
        IncludeType<TwoStageDisposalStarted>();
        IncludeType<OfferReceiptReceived>();
        IncludeType<AppraisalRecorded>();
        IncludeType<TransferPackaged>();
        IncludeType<TransferReceiptReceived>();
        IncludeType<ImportConfirmed>();
        IncludeType<DisposalCompleted>();
    }

    public override DisposalProcess? Evolve(DisposalProcess? snapshot, Guid id, IEvent e) => DisposalProcess.Evolve(snapshot, e.Data);
}
