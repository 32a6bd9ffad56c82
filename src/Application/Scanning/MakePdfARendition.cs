using ECase.Application.Content;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Scanning;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ECase.Application.Scanning;

/// <summary>Durable job: a PDF/A-2b rendition for a born-digital PDF that is not PDF/A already.</summary>
public sealed record MakePdfARendition(Guid CaseId, Guid DocumentId, int Version, string Sha256, string FileName);

/// <summary>The follow-on jobs for newly stored document versions: text extraction and, for PDFs, a PDF/A rendition and a signature check.</summary>
public static class DocumentJobs
{
    public static IEnumerable<object> For(
        Guid caseId, IEnumerable<(Guid DocumentId, int Version, ContentRef Content)> versions, ITextExtractor extractor, ScanningOptions options)
    {
        if (!options.DeriveFormats) yield break;
        foreach (var (documentId, version, content) in versions)
        {
            if (extractor.CanExtract(content.MediaType)) yield return new ExtractText(caseId, documentId, version, content.Sha256, content.MediaType);
            if (content.MediaType == "application/pdf") yield return new MakePdfARendition(caseId, documentId, version, content.Sha256, content.FileName);
            if (Signatures.CheckIncomingSignaturesHandler.Applies(content.MediaType)) yield return new Signatures.CheckIncomingSignatures(caseId, documentId, version);
        }
    }
}

public static class MakePdfARenditionHandler
{
    public static readonly Actor RenditionActor = new("system:pdfa", "system", "");

    public static void Configure(HandlerChain chain)
    {
        chain.OnException<ConcurrencyException>().RetryTimes(3);
        chain.OnException<Exception>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)).Then.MoveToErrorQueue();
    }

    public static async Task Handle(
        MakePdfARendition job, IDocumentSession session, IContentStore store, IPdfAConverter converter, TimeProvider clock,
        ILogger<MakePdfARendition> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Case>(job.CaseId, ct);
        var version = stream.Aggregate?.Documents.GetValueOrDefault(job.DocumentId)?.Versions.FirstOrDefault(v => v.Number == job.Version);
        if (version is null || version.Renditions.ContainsKey(RunOcrHandler.RenditionFormat)) return;

        var temp = global::System.IO.Path.GetTempPath();
        var input = global::System.IO.Path.Combine(temp, $"ecase-pdf-{Guid.NewGuid():N}.pdf");
        var output = global::System.IO.Path.Combine(temp, $"ecase-pdfa-{Guid.NewGuid():N}.pdf");
        try
        {
            await using (var source = store.OpenRead(job.Sha256))
            await using (var target = global::System.IO.File.Create(input))
                await source.CopyToAsync(target, ct);
            if (converter.IsPdfA(input))
            {
                logger.LogInformation("{Document} v{Version} is PDF/A already; the original serves as long-term format", job.DocumentId, job.Version);
                return;
            }

            try
            {
                await converter.ConvertAsync(input, output, ct);
            }
            catch (PdfConversionException e)
            {
                // A PDF Ghostscript cannot read is kept as it came; retrying would not change that.
                logger.LogWarning("No PDF/A rendition for {Document} v{Version}: {Reason}", job.DocumentId, job.Version, e.Message);
                return;
            }

            StagedContent staged;
            await using (var pdf = global::System.IO.File.OpenRead(output))
                staged = await store.PutAsync(pdf, ct);
            var name = global::System.IO.Path.GetFileNameWithoutExtension(job.FileName) + ".pdfa.pdf";
            var ctx = new CommandContext(RenditionActor with { OrgUnit = stream.Aggregate!.OrgUnit }, clock.GetUtcNow());
            stream.AppendMany(ScanDecider.Decide(stream.Aggregate, new ScanCommand.AddRendition(
                job.DocumentId, job.Version, RunOcrHandler.RenditionFormat, new ContentRef(staged.Sha256, staged.Size, "application/pdf", name)), ctx).EventsOrThrow());
        }
        finally
        {
            global::System.IO.File.Delete(input);
            global::System.IO.File.Delete(output);
        }
    }
}
