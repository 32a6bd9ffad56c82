using ECase.Application.Content;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Signatures;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ECase.Application.Signatures;

/// <summary>Durable job: verify the signatures inside a newly stored PDF or enveloped CMS version and record them.</summary>
public sealed record CheckIncomingSignatures(Guid CaseId, Guid DocumentId, int Version);

public static class CheckIncomingSignaturesHandler
{
    public static readonly Actor SignatureActor = new("system:signatures", "system", "");

    public static bool Applies(string mediaType) => mediaType is "application/pdf" or "application/pkcs7-mime";

    public static void Configure(HandlerChain chain)
    {
        chain.OnException<ConcurrencyException>().RetryTimes(3);
        chain.OnException<Exception>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)).Then.MoveToErrorQueue();
    }

    public static async Task Handle(
        CheckIncomingSignatures job, IDocumentSession session, IContentStore store, ISignatureVerifier verifier, IOptions<SignatureOptions> options,
        TimeProvider clock, ILogger<CheckIncomingSignatures> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Case>(job.CaseId, ct);
        var version = stream.Aggregate?.Documents.GetValueOrDefault(job.DocumentId)?.Versions.FirstOrDefault(v => v.Number == job.Version);
        if (version is null || version.Content.Size > options.Value.MaxDocumentBytes) return;

        var document = new System.IO.MemoryStream(checked((int)version.Content.Size));
        await using (var content = store.OpenRead(version.Content.Sha256)) await content.CopyToAsync(document, ct);
        var checks = verifier.VerifyEmbedded(document.ToArray(), version.Content.MediaType);
        if (checks.Count == 0) return;

        var ctx = new CommandContext(SignatureActor with { OrgUnit = stream.Aggregate!.OrgUnit }, clock.GetUtcNow());
        var decision = SignatureDecider.Decide(stream.Aggregate, new SignatureCommand.RecordVerification(
            job.DocumentId, job.Version, null, [.. checks.Select(c => (Guid.CreateVersion7(), c))]), ctx);
        if (decision is Decision.Rejected rejected)
        {
            logger.LogInformation("Signatures of {Document} v{Version} not recorded: {Reason}", job.DocumentId, job.Version, rejected.Rejection.Code);
            return;
        }

        stream.AppendMany(decision.EventsOrThrow());
    }
}
