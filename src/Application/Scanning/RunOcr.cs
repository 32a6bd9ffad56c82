using System.Text.Json;
using ECase.Application.Content;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Scanning;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ECase.Application.Scanning;

/// <summary>Durable job: recognise the text of a scanned document version and make its searchable PDF/A rendition.</summary>
/// <param name="MediaType">image/* is recognised as it is; application/pdf is rasterised at <paramref name="Dpi"/> first.</param>
public sealed record RunOcr(Guid CaseId, Guid DocumentId, int Version, string Sha256, string Title, string Language, string MediaType = "image/tiff", int Dpi = 300);

/// <summary>The text of a document version as stored in the content store: per page, with word boxes.</summary>
public sealed record DocumentText(string Language, string Source, IReadOnlyList<PageText> Pages)
{
    public const string MediaType = "application/vnd.ecase.text+json";
}

public sealed record PageText(int Number, string Text, float MeanConfidence, double DeskewAngle, int WidthPx, int HeightPx, int Dpi, IReadOnlyList<OcrWord> Words);

public sealed class ScanningOptions
{
    public const string Section = "Scanning";

    /// <summary>False holds OCR jobs in the durable queue (they are retried later), e.g. during maintenance.</summary>
    public bool ProcessJobs { get; set; } = true;

    public int MaxParallelPages { get; set; } = Environment.ProcessorCount;

    /// <summary>False: born-digital documents get no text extraction and no PDF/A rendition jobs (benchmarks of the write path).</summary>
    public bool DeriveFormats { get; set; } = true;

    /// <summary>Largest page of a scanned PDF, in pixels at its scan resolution (a decompression-bomb guard).</summary>
    public long MaxPdfPagePixels { get; set; } = 120_000_000;
}

public sealed class OcrJobsPausedException() : Exception("OCR jobs are paused (Scanning:ProcessJobs=false); the job waits in the queue.");

public static class RunOcrHandler
{
    public const string RenditionFormat = "PDF/A-2b";
    public static readonly Actor OcrActor = new("system:ocr", "system", "");

    /// <summary>Bounded retries for transient failures; a paused service keeps the job scheduled, durably.</summary>
    public static void Configure(HandlerChain chain)
    {
        chain.OnException<OcrJobsPausedException>().ScheduleRetryIndefinitely(TimeSpan.FromSeconds(2));
        chain.OnException<ConcurrencyException>().RetryTimes(3);
        chain.OnException<Exception>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)).Then.MoveToErrorQueue();
    }

    public static async Task Handle(
        RunOcr job, IDocumentSession session, IContentStore store, IOcrEngine ocr, IPdfAWriter pdf, IPdfRasterizer rasterizer, IOptions<ScanningOptions> options,
        TimeProvider clock, ILogger<RunOcr> logger, CancellationToken ct)
    {
        if (!options.Value.ProcessJobs) throw new OcrJobsPausedException();
        // Read-only first: recognition takes seconds per page, and any append to the case meanwhile (another scan recorded,
        // another OCR job of the same case finishing) would make an optimistic append fail and the whole job run again.
        var before = await session.Events.FetchLatest<Case>(job.CaseId, ct);
        if (!IsPending(before, job, logger)) return;

        var ctx = new CommandContext(OcrActor with { OrgUnit = before!.OrgUnit }, clock.GetUtcNow());
        var image = global::System.IO.Path.Combine(global::System.IO.Path.GetTempPath(), $"ecase-ocr-{Guid.NewGuid():N}");
        try
        {
            await using (var source = store.OpenRead(job.Sha256))
            await using (var target = global::System.IO.File.Create(image))
                await source.CopyToAsync(target, ct);
            if (job.MediaType == "application/pdf")
            {
                var tiff = image + ".tif";
                try
                {
                    await rasterizer.RasterizeAsync(image, tiff, job.Dpi, ct);
                }
                catch (PdfConversionException e)
                {
                    var unreadable = await FetchForAppendAsync(session, job, logger, ct);
                    unreadable?.AppendMany(ScanDecider.Decide(unreadable.Aggregate, new ScanCommand.FailOcr(job.DocumentId, job.Version, "pdf-unreadable", e.Message, []), ctx).EventsOrThrow());
                    return;
                }

                global::System.IO.File.Move(tiff, image, overwrite: true);
            }

            var (pages, failure) = await RecognizeAsync(ocr, image, job.Language, options.Value.MaxParallelPages, ct);
            if (failure is not null)
            {
                var failing = await FetchForAppendAsync(session, job, logger, ct);
                if (failing is null) return;
                failing.AppendMany(ScanDecider.Decide(failing.Aggregate, failure with { DocumentId = job.DocumentId, Version = job.Version }, ctx).EventsOrThrow());
                logger.LogWarning("OCR of {Document} v{Version} failed: {Code} {Reason}", job.DocumentId, job.Version, failure.Code, failure.Reason);
                return;
            }

            var text = new DocumentText(job.Language, "ocr", [.. pages.Select(p => new PageText(
                p.Number, p.Text, p.MeanConfidence, p.DeskewAngle, p.WidthPx, p.HeightPx, p.DpiX, p.Words))]);
            var textRef = await StoreTextAsync(store, text, $"{job.DocumentId}.txt.json", ct);

            var rendition = new global::System.IO.MemoryStream();
            pdf.WriteSearchable(pages, new PdfAMetadata(job.Title, ctx.By.UserId, "Scan", ctx.Now), rendition);
            rendition.Position = 0;
            var pdfStaged = await store.PutAsync(rendition, ct);
            var pdfRef = new ContentRef(pdfStaged.Sha256, pdfStaged.Size, "application/pdf", $"{SafeName(job.Title)}.pdf");

            // Only now the stream for writing, locked until the transaction commits: the outcome is appended to the case as it is
            // at this moment, so concurrent writes to the case wait milliseconds instead of costing a second recognition.
            var current = await FetchForAppendAsync(session, job, logger, ct);
            if (current is null) return;
            var pageInfo = pages.Select(p => new OcrPageInfo(p.Number, p.MeanConfidence, p.DeskewAngle, p.Words.Count)).ToList();
            current.AppendMany(ScanDecider.Decide(current.Aggregate, new ScanCommand.CompleteOcr(job.DocumentId, job.Version, job.Language, pageInfo, textRef), ctx).EventsOrThrow());
            current.AppendMany(ScanDecider.Decide(current.Aggregate, new ScanCommand.AddRendition(job.DocumentId, job.Version, RenditionFormat, pdfRef), ctx).EventsOrThrow());
            logger.LogInformation("OCR of {Document} v{Version}: {Pages} pages, mean confidence {Confidence:F1}",
                job.DocumentId, job.Version, pages.Count, pageInfo.Count == 0 ? 0 : pageInfo.Average(p => p.MeanConfidence));
        }
        finally
        {
            global::System.IO.File.Delete(image);
        }
    }

    private static bool IsPending(Case? state, RunOcr job, ILogger logger)
    {
        var version = state?.Documents.GetValueOrDefault(job.DocumentId)?.Versions.FirstOrDefault(v => v.Number == job.Version);
        if (version is not null && version.Ocr == OcrState.Pending) return true;
        logger.LogInformation("OCR of {Document} v{Version} skipped: {State}", job.DocumentId, job.Version, version?.Ocr.ToString() ?? "unknown");
        return false;
    }

    /// <summary>The case for writing, exclusively (row lock until commit); null if the version is no longer pending.</summary>
    private static async Task<IEventStream<Case>?> FetchForAppendAsync(IDocumentSession session, RunOcr job, ILogger logger, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Case>(job.CaseId, ct);
        return IsPending(stream.Aggregate, job, logger) ? stream : null;
    }

    private static async Task<(IReadOnlyList<OcrPage> Pages, ScanCommand.FailOcr? Failure)> RecognizeAsync(
        IOcrEngine ocr, string image, string language, int parallel, CancellationToken ct)
    {
        int count;
        try
        {
            count = ocr.CountPages(image);
        }
        catch (OcrInputException e)
        {
            return ([], new ScanCommand.FailOcr(default, default, e.Code, e.Message, []));
        }

        var pages = new OcrPage?[count];
        var failed = new System.Collections.Concurrent.ConcurrentBag<(int Page, OcrInputException Error)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct },
            async (i, token) =>
            {
                try
                {
                    pages[i] = await ocr.RecognizeAsync(image, i, language, token);
                }
                catch (OcrInputException e)
                {
                    failed.Add((i + 1, e));
                }
            });
        if (!failed.IsEmpty)
        {
            var first = failed.OrderBy(f => f.Page).First();
            return ([], new ScanCommand.FailOcr(default, default, first.Error.Code, $"Page {first.Page}: {first.Error.Message}", [.. failed.Select(f => f.Page).Order()]));
        }

        return ([.. pages.Select(p => p!)], null);
    }

    private static async Task<ContentRef> StoreTextAsync(IContentStore store, DocumentText text, string name, CancellationToken ct)
    {
        var json = new global::System.IO.MemoryStream(JsonSerializer.SerializeToUtf8Bytes(text, JsonSerializerOptions.Web));
        var staged = await store.PutAsync(json, ct);
        return new ContentRef(staged.Sha256, staged.Size, DocumentText.MediaType, name);
    }

    private static string SafeName(string title)
    {
        var name = new string([.. title.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ' ? c : '_')]).Trim();
        return name.Length == 0 ? "scan" : name[..Math.Min(name.Length, 120)];
    }
}
