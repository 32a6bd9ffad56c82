using ECase.Projections.Audit;
using ECase.Domain.Disposal;
using ECase.Projections.Cases;
using ECase.Projections.Disposal;
using ECase.Projections.FilePlans;
using ECase.Projections.Inspections;
using ECase.Projections.Files;
using JasperFx.Events.Projections;
using Marten;

namespace ECase.Projections;

/// <summary>The one place where projections, their lifecycles and read-model indexes are configured.</summary>
public static class ProjectionSetup
{
    public const string AuditTrail = "AuditTrail";

    public static void AddECaseProjections(this StoreOptions opts)
    {
        opts.Projections.Add(new FileWriteModel(), ProjectionLifecycle.Live);
        opts.Projections.Add(new CaseWriteModel(), ProjectionLifecycle.Live);
        opts.Projections.Add(new FilePlanUnitWriteModel(), ProjectionLifecycle.Live);

        opts.Projections.Add(new FilePlanUnitViewProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new FileOverviewProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new CaseDetailsProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new DisposalProcessProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new InspectionWriteModel(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new InspectionViewProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new InspectionAccessProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Add(new AuditTrailProjection(), ProjectionLifecycle.Async, AuditTrail);

        opts.Schema.For<FilePlanUnitView>().UniqueIndex(x => x.Code);
        opts.Schema.For<FileOverview>().UniqueIndex(x => x.Reference).Index(x => x.OrgUnit);
        opts.Schema.For<CaseDetails>().Index(x => x.FileId);
        opts.Schema.For<DisposalProcess>().Index(x => x.Archive.Code);
        opts.Schema.For<AuditEntry>().Index(x => x.StreamId);
        opts.Schema.For<AccessLogEntry>().Index(x => x.FileId);
        opts.Schema.For<SearchLogEntry>().Index(x => x.UserId);
        opts.Schema.For<InspectionView>().Index(x => x.CitizenId).Index(x => x.FileId).Index(x => x.Status);
        opts.Schema.For<InspectionAccessRecord>().Index(x => x.CitizenId).Index(x => x.InspectionId);
    }
}
