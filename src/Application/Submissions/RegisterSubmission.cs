using System.Globalization;
using System.Security.Claims;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Scanning;
using ECase.Application.Security;
using ECase.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Submissions;

/// <summary>Eingang: something arrived for a case, with one or more documents whose bytes are already stored.</summary>
public sealed record RegisterSubmission(
    Guid CaseId, Guid SubmissionId, SubmissionChannel Channel, Sender? Sender, DateTimeOffset ReceivedAt, string Subject,
    IReadOnlyList<NewDocument> Documents, long? ExpectedVersion, CurrentUser User);

public sealed record SubmissionRegistered(Guid CaseId, Guid SubmissionId, IReadOnlyList<Guid> DocumentIds, long Version);

/// <summary>
/// <c>POST /api/cases/{id}/submissions</c>, multipart/form-data: fields <c>subject</c>, <c>channel</c>, <c>receivedAt</c>,
/// optional <c>senderName</c>, <c>senderAddress</c>, <c>senderEmail</c>, <c>version</c>; one or more file parts.
/// </summary>
public static class RegisterSubmissionEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/submissions", HandleAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("RegisterSubmission").WithTags("Submissions")
            .DisableAntiforgery().Accepts<IFormFile>("multipart/form-data");

    private static async Task<IResult> HandleAsync(
        Guid caseId, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, IContentStore store,
        IOptions<ContentStoreOptions> options, IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        // Refuse before reading a byte of the body when the case is not the caller's.
        await CaseQueries.LoadVisibleAsync(query, caseId, user, ct);

        using var upload = await Upload.ReadAsync(request, store, options.Value.MaxUploadBytes, ct);
        var cmd = new RegisterSubmission(
            caseId, Guid.CreateVersion7(), ParseChannel(upload.Field("channel")), ParseSender(upload), ParseReceivedAt(upload.Field("receivedAt"), clock),
            upload.Field("subject") ?? "",
            [.. upload.Files.Select(f => new NewDocument(Guid.CreateVersion7(), System.IO.Path.GetFileNameWithoutExtension(f.FileName), f.ToContentRef()))],
            ParseVersion(upload.Field("version")) ?? ExpectedVersion.From(request, null), user);

        await upload.PromoteAsync(ct);
        try
        {
            var result = await bus.InvokeAsync<SubmissionRegistered>(cmd, ct);
            return TypedResults.Created($"/api/cases/{caseId}", result);
        }
        catch
        {
            upload.RollBack();
            throw;
        }
    }

    private static SubmissionChannel ParseChannel(string? value) =>
        value is null ? SubmissionChannel.Other
        : Enum.TryParse<SubmissionChannel>(value, ignoreCase: true, out var c) && Enum.IsDefined(c) ? c
        : throw RequestInvalidException.Field("channel", $"channel is one of {string.Join(", ", Enum.GetNames<SubmissionChannel>())}.");

    private static DateTimeOffset ParseReceivedAt(string? value, TimeProvider clock) =>
        value is null ? clock.GetUtcNow()
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw RequestInvalidException.Field("receivedAt", "receivedAt must be an ISO 8601 date and time.");

    private static long? ParseVersion(string? value) =>
        value is null ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw RequestInvalidException.Field("version", "version must be a non-negative number.");

    private static Sender? ParseSender(Upload upload) =>
        upload.Field("senderName") is { } name
            ? new Sender(Guid.CreateVersion7(), name, upload.Field("senderAddress"), upload.Field("senderEmail"))
            : null;
}

public static class RegisterSubmissionHandler
{
    public static async Task<SubmissionRegistered> Handle(
        RegisterSubmission cmd, IDocumentSession session, IMessageContext messages, ITextExtractor extractor, IOptions<ScanningOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var decision = CaseDecider.Decide(stream.Aggregate, new CaseCommand.RegisterSubmission(
            cmd.SubmissionId, cmd.Channel, cmd.Sender?.Id, cmd.ReceivedAt, cmd.Subject, cmd.Documents), clock.ContextFor(cmd.User));
        var result = CaseWrites.Append(stream, decision);
        if (cmd.Sender is not null) session.Insert(cmd.Sender);
        foreach (var job in DocumentJobs.For(cmd.CaseId, cmd.Documents.Select(d => (d.DocumentId, 1, d.Content)), extractor, options.Value))
            await messages.PublishAsync(job);
        return new SubmissionRegistered(cmd.CaseId, cmd.SubmissionId, [.. cmd.Documents.Select(d => d.DocumentId)], result.Version);
    }
}
