using ECase.Application.Audit;
using ECase.Application.Cases;
using ECase.Application.Disposal;
using ECase.Application.Documents;
using ECase.Application.FilePlans;
using ECase.Application.Files;
using ECase.Application.Inspections;
using ECase.Application.Integrity;
using ECase.Application.Scanning;
using ECase.Application.Search;
using ECase.Application.Signatures;
using ECase.Application.Submissions;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application;

/// <summary>Maps every use case's endpoint under the API group.</summary>
public static class ApplicationEndpoints
{
    public static IEndpointRouteBuilder MapECaseUseCases(this IEndpointRouteBuilder api)
    {
        CreatePlanUnitEndpoint.Map(api);
        FilePlanQueries.Map(api);
        OpenFileEndpoint.Map(api);
        ReclassifyFileEndpoint.Map(api);
        CloseFileEndpoint.Map(api);
        ReopenFileEndpoint.Map(api);
        FileQueries.Map(api);
        OpenCaseEndpoint.Map(api);
        RenameCaseEndpoint.Map(api);
        CloseCaseEndpoint.Map(api);
        CaseQueries.Map(api);
        RegisterSubmissionEndpoint.Map(api);
        AddDocumentVersionEndpoint.Map(api);
        GetDocumentContent.Map(api);
        AuditTrailQuery.Map(api);
        RecordScanEndpoint.Map(api);
        ScanQueries.Map(api);
        SearchEndpoint.Map(api);
        SearchAdmin.Map(api);
        VerifySignatureEndpoint.Map(api);
        RequestCoSignEndpoint.Map(api);
        CoSignDocumentEndpoint.Map(api);
        DeclineCoSignEndpoint.Map(api);
        SignOffDocumentEndpoint.Map(api);
        VerifyFileIntegrity.Map(api);
        IntegrityQueries.Map(api);
        RetentionEndpoints.Map(api);
        DisposalQueries.Map(api);
        StartDisposalEndpoint.Map(api);
        ArchiveReplyEndpoints.Map(api);
        TransferEndpoints.Map(api);
        CompleteDisposalEndpoint.Map(api);
        CitizenInspectionEndpoints.Map(api);
        ClerkInspectionEndpoints.Map(api);
        return api;
    }
}
