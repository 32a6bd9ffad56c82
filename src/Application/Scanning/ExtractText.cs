using System.Text.Json;
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

/// <summary>Takes the text out of born-digital documents (PDF text layer, plain text).</summary>
public interface ITextExtractor
{
    bool CanExtract(string mediaType);

    /// <summary>The document's text per page; null when it has none (e.g. an image-only PDF).</summary>
    DocumentText? Extract(string path, string mediaType);
}

/// <summary>Durable job: extract the text of a born-digital document version so that search has one source of text.</summary>
public sealed record ExtractText(Guid CaseId, Guid DocumentId, int Version, string Sha256, string MediaType);

public static class ExtractTextHandler
{
    public static readonly Actor TextActor = new("system:text", "system", "");

    public static void Configure(HandlerChain chain)
    {
        chain.OnException<ConcurrencyException>().RetryTimes(3);
        chain.OnException<Exception>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)).Then.MoveToErrorQueue();
    }

    public static async Task Handle(
        ExtractText job, IDocumentSession session, IContentStore store, ITextExtractor extractor, TimeProvider clock, ILogger<ExtractText> logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Case>(job.CaseId, ct);
        var version = stream.Aggregate?.Documents.GetValueOrDefault(job.DocumentId)?.Versions.FirstOrDefault(v => v.Number == job.Version);
        if (version is null || version.Text is not null) return;

        var path = global::System.IO.Path.Combine(global::System.IO.Path.GetTempPath(), $"ecase-text-{Guid.NewGuid():N}");
        try
        {
            await using (var source = store.OpenRead(job.Sha256))
            await using (var target = global::System.IO.File.Create(path))
                await source.CopyToAsync(target, ct);

            DocumentText? text;
            try
            {
                text = extractor.Extract(path, job.MediaType);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A malformed document is the sender's problem, not a reason to retry forever.
                logger.LogWarning(e, "Text extraction of {Document} v{Version} failed", job.DocumentId, job.Version);
                return;
            }

            if (text is null)
            {
                logger.LogInformation("{Document} v{Version} has no text layer", job.DocumentId, job.Version);
                return;
            }

            var staged = await store.PutAsync(new global::System.IO.MemoryStream(JsonSerializer.SerializeToUtf8Bytes(text, JsonSerializerOptions.Web)), ct);
            var textRef = new ContentRef(staged.Sha256, staged.Size, DocumentText.MediaType, $"{job.DocumentId}.txt.json");
            var ctx = new CommandContext(TextActor with { OrgUnit = stream.Aggregate!.OrgUnit }, clock.GetUtcNow());
            stream.AppendMany(ScanDecider.Decide(stream.Aggregate, new ScanCommand.RecordExtractedText(job.DocumentId, job.Version, text.Source, text.Pages.Count, textRef), ctx).EventsOrThrow());
        }
        finally
        {
            global::System.IO.File.Delete(path);
        }
    }
}
